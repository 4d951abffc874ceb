package io.beatline.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.ConfigLoader;
import io.beatline.config.EntityType;
import io.beatline.config.SegmentDefinition;
import io.beatline.core.BeatlineException;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment config errors: found before anything runs, naming the file and line, the segment and the key. */
class SegmentConfigTest {

    @TempDir
    Path dir;

    /** Loads a config whose line 3 holds the first segment, and checks its segments as the commands do. */
    BeatlineConfig load(String... segments) throws IOException {
        Path file = dir.resolve("segments.conf");
        Files.writeString(file, "events.excluded = [page_view]\nsegments = [\n" + String.join("\n", segments) + "\n]\n");
        BeatlineConfig config = ConfigLoader.load(Optional.of(file), List.of());
        SegmentEvaluation.check(config);
        return config;
    }

    String failure(String... segments) {
        BeatlineException e = assertThrows(BeatlineException.class, () -> load(segments));
        assertEquals(2, e.exitCode(), e.getMessage());
        return e.getMessage();
    }

    void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void shippedPersonasLoadAndCompile() {
        BeatlineConfig config = ConfigLoader.load(Optional.of(Path.of("../conf/application.conf")), List.of());
        SegmentEvaluation evaluation = new SegmentEvaluation(config, LocalDate.parse("2026-06-30"));
        evaluation.checkWhere(TestSpark.session());
        assertTrue(config.segments().size() >= 20, "shipped personas: " + config.segments().size());
        assertTrue(config.segments().stream().anyMatch(s -> s.id().equals("accounts-with-power-users")
                && s.entity() == EntityType.ACCOUNT));
    }

    @Test
    void unknownFieldListsTheFields() {
        String message = failure("{ id = busy, entity = user,", "  rule { field = beatz, op = \">\", value = 3 } }");
        assertMentions(message, "segments.conf, line 4", "segment 'busy'", "key 'rule.field'", "unknown user field 'beatz'",
                "beats", "account.arr", "email");
    }

    @Test
    void operatorMustFitTheFieldType() {
        String message = failure("{ id = a, entity = user, rule { field = beats, op = contains, value = x } }");
        assertMentions(message, "line 3", "segment 'a'", "'contains' does not apply to field 'beats', which is a number",
                "between");
        assertMentions(failure("{ id = a, entity = account, rule { field = products, op = \"=\", value = API } }"),
                "a list of strings", "contains");
        assertMentions(failure("{ id = a, entity = user, rule { field = email, op = within-last-days, value = 3 } }"),
                "which is a string");
    }

    @Test
    void valueMustFitTheFieldType() {
        assertMentions(failure("{ id = a, entity = user, rule { field = beats, op = \">\", value = ten } }"),
                "key 'rule.value'", "is a number; 'ten' is not");
        assertMentions(failure("{ id = a, entity = user, rule { field = last_seen_date, op = \">\", value = yesterday } }"),
                "'yesterday' is not a date", "today-30");
        assertMentions(failure("{ id = a, entity = user, rule { field = onboarding_completed, op = \"=\", value = yes } }"),
                "is a boolean");
        assertMentions(failure("{ id = a, entity = user, rule { field = beats, op = top-percent, value = 120 } }"),
                "percentage");
        assertMentions(failure("{ id = a, entity = user, rule { field = beats, op = between, value = [1] } }"),
                "between takes two values");
        assertMentions(failure("{ id = a, entity = user, rule { field = email, op = matches, value = \"(unclosed\" } }"),
                "not a regular expression");
    }

    @Test
    void cycleBetweenSegmentsIsNamed() {
        String message = failure(
                "{ id = a, entity = user, rule { in-segment = b } }",
                "{ id = b, entity = user, rule { all = [ { field = beats, op = \">\", value = 1 }, { not-in-segment = a } ] } }");
        assertMentions(message, "a -> b -> a", "cycle");
        assertMentions(failure("{ id = self, entity = user, rule { in-segment = self } }"), "self -> self");
    }

    @Test
    void duplicatedIdAndBadReferences() {
        String message = failure(
                "{ id = twice, entity = user, rule { done = login } }",
                "{ id = twice, entity = user, rule { done = login } }");
        assertMentions(message, "line 4", "segment 'twice', key 'id'", "already used by the segment at", "line 3");
        assertMentions(failure("{ id = a, entity = user, rule { in-segment = nobody } }"), "no segment 'nobody'");
        assertMentions(failure("{ id = u, entity = user, rule { done = login } }",
                        "{ id = acc, entity = account, rule { in-segment = u } }"),
                "'u' is a user segment", "same entity");
        assertMentions(failure("{ id = a, entity = user, rule { users-matching = { done = login } } }"),
                "users-matching is for account segments");
    }

    @Test
    void conditionShapesAreChecked() {
        assertMentions(failure("{ id = a, entity = user, rule { done = login, within-day = 7 } }"),
                "key 'rule.within-day'", "unknown key", "within-days");
        assertMentions(failure("{ id = a, entity = user, rule { done = login, field = beats } }"), "one condition per object");
        assertMentions(failure("{ id = a, entity = user, rule { field = beats, op = \"~\", value = 1 } }"),
                "'~' is not an operator", "top-percent");
        assertMentions(failure("{ id = a, entity = user, rule { done = page_view } }"), "events.excluded");
        assertMentions(failure("{ id = a, entity = user, rule { stopped-doing = login } }"), "needs within-days");
        assertMentions(failure("{ id = a, entity = user, rule { done = login, at-most = 0 } }"), "below at-least");
        assertMentions(failure("{ id = a, entity = person, rule { done = login } }"), "'person' is not an entity");
        assertMentions(failure("{ id = \"Bad Id\", entity = user, rule { done = login } }"), "not a segment id");
        assertMentions(failure("{ id = a, entity = user, rule { all = [] } }"), "non-empty list");
    }

    @Test
    void whereMustParseAndResolve() throws IOException {
        assertMentions(failure("{ id = a, entity = user, rule { where = \"beats >\" } }"),
                "key 'rule.where'", "not a Spark SQL expression");
        BeatlineConfig config = load("{ id = w, entity = user,", "  rule { where = \"beats > 1 AND colour = 'red'\" } }");
        BeatlineException e = assertThrows(BeatlineException.class,
                () -> new SegmentEvaluation(config, LocalDate.parse("2026-06-30")).checkWhere(TestSpark.session()));
        assertMentions(e.getMessage(), "line 4", "segment 'w'", "does not resolve", "colour");
        BeatlineConfig notBoolean = load("{ id = n, entity = user, rule { where = \"beats + 1\" } }");
        assertMentions(assertThrows(BeatlineException.class,
                () -> new SegmentEvaluation(notBoolean, LocalDate.parse("2026-06-30")).checkWhere(TestSpark.session()))
                .getMessage(), "not a boolean condition");
    }

    @Test
    void eventConditionsAreChecked() throws IOException {
        assertMentions(failure("{ id = a, entity = user, rule { done = export_report, where = \"properties.format =\" } }"),
                "line 3", "segment 'a'", "key 'rule.where'", "not a Spark SQL expression");
        assertMentions(failure("{ id = a, entity = user, rule { sequence = [create_project] , within-days = 7 } }"),
                "key 'rule.sequence'", "at least two steps");
        assertMentions(failure("{ id = a, entity = user, rule { sequence = [a, b] } }"), "sequence needs within-days");
        assertMentions(failure("{ id = a, entity = user, rule { first-done = a } }"), "first-done needs within-days");
        assertMentions(failure("{ id = a, entity = user, rule { done = [login, page_view] } }"), "events.excluded");
        assertMentions(failure("{ id = a, entity = user, rule { sequence = [a, b], within-days = 7, where = \"true\" } }"),
                "key 'rule.where'", "unknown key for a 'sequence' condition");
        BeatlineConfig config = load("{ id = w, entity = user,", "  rule { done = export_report, where = \"format = 'pdf'\" } }");
        BeatlineException e = assertThrows(BeatlineException.class,
                () -> new SegmentEvaluation(config, LocalDate.parse("2026-06-30")).checkWhere(TestSpark.session()));
        assertMentions(e.getMessage(), "line 4", "segment 'w'", "key 'rule.where'", "does not resolve against an event's columns",
                "properties.<key>", "format");
        BeatlineConfig notBoolean = load("{ id = n, entity = user, rule { not-done = login, where = \"properties.format\" } }");
        assertMentions(assertThrows(BeatlineException.class,
                () -> new SegmentEvaluation(notBoolean, LocalDate.parse("2026-06-30")).checkWhere(TestSpark.session()))
                .getMessage(), "is string, not a boolean condition");
        BeatlineConfig fine = load("{ id = f, entity = user, rule { done = [export_report, share_report],"
                + " where = \"properties.format = 'pdf' AND CAST(properties.pages AS INT) > 2\", within-days = 30 } }");
        new SegmentEvaluation(fine, LocalDate.parse("2026-06-30")).checkWhere(TestSpark.session());
    }

    @Test
    void onlyTheEventsThatWhereConditionsAndSequencesNameAreRead() throws IOException {
        BeatlineConfig config = load(
                "{ id = pdf, entity = user, rule { done = [export_report, share_report], where = \"properties.format = 'pdf'\","
                        + " within-days = 30 } }",
                "{ id = chain, entity = user, rule { sequence = [create_dashboard, invite_user], within-days = 7 } }",
                "{ id = busy, entity = user, rule { done = login, within-days = 14, at-least = 3 } }",
                "{ id = active, entity = account, rule { done = run_report, within-days = 14 } }");
        SegmentEvaluation evaluation = new SegmentEvaluation(config, LocalDate.parse("2026-06-30"));
        // login (no where) is read from daily activity; the account segment reads no event
        assertEquals(Optional.of(Set.of("create_dashboard", "export_report", "invite_user", "share_report")),
                evaluation.eventsRead(EntityType.USER));
        assertFalse(evaluation.needsEvents(EntityType.ACCOUNT));
        assertEquals(Optional.of(Set.of()), evaluation.eventsRead(EntityType.ACCOUNT));

        BeatlineConfig any = load("{ id = any, entity = account, rule { done = \"*\", where = \"properties.plan = 'pro'\","
                + " within-days = 7 } }");
        assertEquals(Optional.empty(), new SegmentEvaluation(any, LocalDate.parse("2026-06-30")).eventsRead(EntityType.ACCOUNT),
                "any event: every event is read");
    }

    @Test
    void canonicalFormsOfTheEventConditions() throws IOException {
        assertEquals("{\"at-least\":2,\"done\":[\"export_report\",\"share_report\"],\"where\":\"properties.format = 'pdf'\","
                        + "\"within-days\":30}",
                load("{ id = p, entity = user, rule { where = \"properties.format = 'pdf'\", done = [export_report, share_report],"
                        + " within-days = 30, at-least = 2 } }").segments().get(0).canonicalRule());
        assertEquals("{\"sequence\":[\"create_project\",\"invite_user\"],\"within-days\":7}",
                load("{ id = p, entity = user, rule { sequence = [create_project, invite_user], within-days = 7 } }")
                        .segments().get(0).canonicalRule());
        assertEquals("{\"first-done\":\"run_report\",\"within-days\":7}",
                load("{ id = p, entity = user, rule { first-done = run_report, within-days = 7 } }").segments().get(0).canonicalRule());
    }

    @Test
    void canonicalRuleFillsDefaultsAndSortsKeys() throws IOException {
        SegmentDefinition one = load("{ id = p, entity = user, rule { within-days = 14, done = run_report } }").segments().get(0);
        SegmentDefinition two = load("{ id = p, entity = user, rule { done = run_report, within-days = 14, at-least = 1 } }")
                .segments().get(0);
        assertEquals("{\"at-least\":1,\"done\":\"run_report\",\"within-days\":14}", one.canonicalRule());
        assertEquals(one.ruleHash(), two.ruleHash(), "the same rule written two ways has one hash");
        SegmentDefinition three = load("{ id = p, entity = user, rule { done = run_report, within-days = 7 } }").segments().get(0);
        assertTrue(!three.ruleHash().equals(one.ruleHash()));
    }
}
