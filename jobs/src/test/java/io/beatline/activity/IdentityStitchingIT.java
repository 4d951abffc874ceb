package io.beatline.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.config.ConfigLoader;
import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.engagement.EngagementJob;
import io.beatline.ingest.EventsIngestJob;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.Identities;
import io.beatline.ingest.SilverEvents;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity stitching over two hand-made landings; every expected value worked out by hand.
 * Onboarding = complete_profile, connect_data_source; every weight 1; window 14 days.
 *
 * <p>Landing Apr 1: device dev1 browses anonymously on Mar 30 (view_pricing) and Apr 1 09:00
 * (complete_profile), signs up as u_new at 09:30 (signup: the link), then does connect_data_source
 * at 10:00 still without a user_id, naming acc_X. u_old logs in. dev2 browses on Mar 25;
 * dev_never on Apr 1 (never linked).
 *
 * <p>Landing Apr 2: u_old logs in on dev2 at 08:00 (dev2 -> u_old, re-attributing Mar 25) and
 * u_new at 09:00 (a conflict: dev2 stays u_old's, u_new's own login stays u_new's); dev2 runs a
 * report anonymously; a late link of dev1 to u_old dated Mar 31, earlier than dev1's first link
 * but landed a day later, is a conflict too and moves nothing.
 */
class IdentityStitchingIT {

    static final LocalDate APR1 = LocalDate.parse("2026-04-01");
    static final LocalDate APR2 = LocalDate.parse("2026-04-02");

    @TempDir
    Path dir;
    TestLake lake;
    Path config;

    static String event(String id, String event, String user, String anonymous, String account, String timestamp) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"" + event + "\""
                + (user == null ? "" : ",\"user_id\":\"" + user + "\"")
                + (anonymous == null ? "" : ",\"anonymous_id\":\"" + anonymous + "\"")
                + (account == null ? "" : ",\"account_id\":\"" + account + "\"")
                + ",\"timestamp\":\"" + timestamp + "\"}";
    }

    @BeforeEach
    void land() throws Exception {
        lake = new TestLake(dir);
        config = dir.resolve("stitching.conf");
        Files.writeString(config, String.join("\n",
                "raw = \"" + lake.raw + "\"",
                "lake = \"" + lake.lake + "\"",
                "onboarding.events = [complete_profile, connect_data_source]",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }", ""));
        lake.landEvents(APR1, "e.jsonl",
                event("a1", "view_pricing", null, "dev1", null, "2026-03-30T10:00:00Z"),
                event("a2", "complete_profile", null, "dev1", null, "2026-04-01T09:00:00Z"),
                event("s1", "signup", "u_new", "dev1", null, "2026-04-01T09:30:00Z"),
                event("a3", "connect_data_source", null, "dev1", "acc_X", "2026-04-01T10:00:00Z"),
                event("o1", "login", "u_old", null, "acc_O", "2026-04-01T08:00:00Z"),
                event("b1", "view_pricing", null, "dev2", null, "2026-03-25T10:00:00Z"),
                event("n1", "view_pricing", null, "dev_never", null, "2026-04-01T11:00:00Z"));
        lake.landEvents(APR2, "e.jsonl",
                event("s2", "login", "u_old", "dev2", null, "2026-04-02T08:00:00Z"),
                event("s3", "login", "u_new", "dev2", null, "2026-04-02T09:00:00Z"),
                event("a4", "run_report", null, "dev2", null, "2026-04-02T12:00:00Z"),
                event("s4", "login", "u_old", "dev1", null, "2026-03-31T12:00:00Z"));
    }

    /** The stages stitching touches, for {@code asOf}: ingest-events (catching up), activity, engagement. */
    private String run(LocalDate asOf) {
        JobContext context = JobContext.create(TestSpark.session(), ConfigLoader.load(Optional.of(config), List.of()));
        StringBuilder out = new StringBuilder();
        for (Stage stage : List.of(new EventsIngestJob(context), new ActivityJob(context), new EngagementJob(context))) {
            out.append(stage.run(asOf).message()).append('\n');
        }
        return out.toString();
    }

    private Map<String, Row> engagement(LocalDate asOf) {
        return lake.table(UserEngagement.TABLE).filter("as_of_date = DATE'" + asOf + "'").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("user_id"), r -> r, (a, b) -> a, TreeMap::new));
    }

    private Map<String, Long> activity() {
        return lake.table(UserDailyActivity.TABLE).collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("user_id") + " " + r.getAs("activity_date") + " " + r.getAs("event"),
                r -> r.<Long>getAs("event_count"), Long::sum, TreeMap::new));
    }

    private static void assertUser(Row row, double beats, double experience, String firstSeen, String lastSeen, int active30,
                                   String lifecycle, int onboardingSteps) {
        String user = row.getAs("user_id");
        assertEquals(beats, (double) row.getAs("beats"), user + " beats");
        assertEquals(experience, (double) row.getAs("experience"), user + " experience");
        assertEquals(Date.valueOf(firstSeen), row.getAs("first_seen_date"), user + " first_seen_date");
        assertEquals(Date.valueOf(lastSeen), row.getAs("last_seen_date"), user + " last_seen_date");
        assertEquals(active30, (int) row.getAs("active_days_30d"), user + " active_days_30d");
        assertEquals(lifecycle, row.getAs("lifecycle"), user + " lifecycle");
        assertEquals(onboardingSteps, (int) row.getAs("onboarding_steps_done"), user + " onboarding_steps_done");
    }

    /**
     * One lake through both landings: the pre-sign-up session counted once linked, then the late
     * link, the shared device and the late earlier link, then a rerun and a forced re-ingest that
     * change nothing (one flow, so the pipeline runs four times, not nine).
     */
    @Test
    void aPreSignUpSessionALateLinkAndASharedDeviceThenARerunChangesNothing() {
        run(APR1);
        Map<String, Row> users = engagement(APR1);
        assertEquals(List.of("u_new", "u_old"), List.copyOf(users.keySet()), "anonymous ids never linked are nobody");
        // view_pricing Mar 30, complete_profile, signup and connect_data_source Apr 1
        assertUser(users.get("u_new"), 4, 4, "2026-03-30", "2026-04-01", 2, "new", 2);
        assertTrue((boolean) users.get("u_new").getAs("onboarding_completed"), "both steps done before and after the link");
        assertEquals("acc_X", users.get("u_new").getAs("account_id"), "the account of the latest event, an anonymous one");
        assertUser(users.get("u_old"), 1, 1, "2026-04-01", "2026-04-01", 1, "new", 0);

        assertEquals(sorted("dev1 u_new 2026-04-01 09:30:00.0 s1 2026-04-01"), rows(Identities.TABLE));
        assertEquals(0, lake.table(Identities.CONFLICTS).count());
        assertEquals(2, lake.table(SilverEvents.TABLE).filter("anonymous_id IN ('dev2', 'dev_never')").count(),
                "unlinked anonymous events are kept in silver");
        Contracts.assertContract(Identities.TABLE, lake.table(Identities.TABLE));
        Contracts.assertContract(ActorDailyActivity.TABLE, lake.table(ActorDailyActivity.TABLE));
        assertEquals(1, lake.table(ActorDailyActivity.TABLE).filter("actor_type = 'anonymous' AND actor_id = 'dev_never'").count());

        String second = run(APR2);
        assertTrue(second.contains("1 dates re-attributed by new identity links"), second);

        users = engagement(APR2);
        // u_old: own logins Mar 31, Apr 1, Apr 2; dev2's view_pricing Mar 25 and run_report Apr 2
        assertUser(users.get("u_old"), 5, 5, "2026-03-25", "2026-04-02", 4, "new", 0);
        // u_new: dev1's four events, and its own login on dev2 (a conflict does not take a user's own events)
        assertUser(users.get("u_new"), 5, 5, "2026-03-30", "2026-04-02", 3, "new", 2);

        Map<String, Long> activity = activity();
        assertEquals(1L, activity.get("u_old 2026-03-25 view_pricing"), "the late link re-attributed Mar 25");
        assertEquals(1L, activity.get("u_old 2026-04-02 run_report"));
        assertEquals(1L, activity.get("u_new 2026-04-02 login"));
        assertEquals(2L, activity.get("u_old 2026-04-02 login") + activity.get("u_new 2026-04-02 login"));
        assertFalse(activity.containsKey("u_old 2026-03-30 view_pricing"), "dev1 stays u_new's: the first link wins");

        assertEquals(sorted(
                        "dev1 u_new 2026-04-01 09:30:00.0 s1 2026-04-01",
                        "dev2 u_old 2026-04-02 08:00:00.0 s2 2026-04-02"),
                rows(Identities.TABLE));
        assertEquals(sorted(
                        "dev1 u_old s4 2026-03-31 12:00:00.0 2026-04-02",
                        "dev2 u_new s3 2026-04-02 09:00:00.0 2026-04-02"),
                rows(Identities.CONFLICTS));
        Contracts.assertContract(Identities.CONFLICTS, lake.table(Identities.CONFLICTS));

        List<TableSpec> tables = List.of(Identities.TABLE, Identities.CONFLICTS, ActorDailyActivity.TABLE,
                UserDailyActivity.TABLE, UserMonthlyActivity.TABLE, UserEngagement.TABLE);
        List<List<String>> before = tables.stream().map(this::rows).toList();
        String again = run(APR2);
        assertEquals(before, tables.stream().map(this::rows).toList(), again);
        Cli forced = Cli.run("ingest-events", "--date", APR2.toString(), "--force", "--config", config.toString());
        assertEquals(0, forced.exitCode(), forced.err());
        run(APR2);
        assertEquals(before, tables.stream().map(this::rows).toList(), "a forced re-ingest of a landing makes the same links");
    }

    /** The table's rows as sorted space-separated text (timestamps in the session time zone, UTC in tests). */
    private List<String> rows(TableSpec table) {
        return lake.table(table).collectAsList().stream().map(IdentityStitchingIT::text).sorted().toList();
    }

    private static List<String> sorted(String... expected) {
        return List.of(expected).stream().sorted().toList();
    }

    private static String text(Row row) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < row.length(); i++) {
            Object value = row.get(i);
            if (value instanceof Timestamp ts) {
                value = Instant.ofEpochMilli(ts.getTime()).toString().replace("T", " ").replace("Z", "") + ".0";
            }
            out.append(i == 0 ? "" : " ").append(value);
        }
        return out.toString();
    }
}
