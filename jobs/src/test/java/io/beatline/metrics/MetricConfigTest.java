package io.beatline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.config.ConfigLoader;
import io.beatline.config.EntityType;
import io.beatline.config.MetricDefinition;
import io.beatline.core.BeatlineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric definitions are checked when the config loads: each error names the file, line, metric and key. */
class MetricConfigTest {

    @TempDir
    Path dir;

    private String error(String metrics) throws Exception {
        Path file = dir.resolve("m.conf");
        Files.writeString(file, "raw = r\nlake = l\nmetrics {\n" + metrics + "\n}\n");
        BeatlineException e = assertThrows(BeatlineException.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("m.conf, line 4"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aGoodDefinitionLoads() throws Exception {
        Path file = dir.resolve("ok.conf");
        Files.writeString(file, "metrics.t { entity = user, aggregates.now { source = \"event:a\", op = count, days = 7,"
                + " offset-days = 7 }, value = \"now + 1\" }\n");
        MetricDefinition metric = ConfigLoader.load(Optional.of(file), List.of()).metrics().get(0);
        assertEquals(EntityType.USER, metric.entity());
        assertEquals(MetricDefinition.Op.COUNT, metric.aggregates().get(0).op());
        assertEquals(List.of("a"), metric.aggregates().get(0).events());
        assertEquals(7, metric.aggregates().get(0).offsetDays());
    }

    /**
     * What the metrics of one entity type read from daily activity: the events they name (none
     * but custom and where sources: no event; event:* every event) and the first day of their
     * longest window (null when one is all time, with the months before from the rollup).
     */
    @Test
    void eachEntityTypesMetricsReadOnlyTheEventsAndDaysTheyName() throws Exception {
        Path file = dir.resolve("read.conf");
        Files.writeString(file, String.join("\n",
                "metrics {",
                "  trend { entity = user, aggregates.now { source = \"event:run\", op = count, days = 7 },",
                "          aggregates.prev { source = \"event:run\", op = count, days = 7, offset-days = 7 }, value = \"now - prev\" }",
                "  logins { entity = account, aggregates.l { source = [\"event:login\", \"event:run\"], op = sum, days = 7 }, value = l }",
                "  since { entity = account, aggregates.s { source = \"event:export\", op = days_since }, value = s }",
                "  big { entity = account, aggregates.b { source = \"event:*\", op = count, days = 30, where = \"weight > 1\" },",
                "        value = b }",
                "  tickets { entity = account, aggregates.t { source = \"custom:tickets\", op = last }, value = t }",
                "  any { entity = user, aggregates.a { source = \"event:*\", op = count, days = 3 }, value = a }",
                "}", ""));
        List<MetricDefinition> metrics = ConfigLoader.load(Optional.of(file), List.of()).metrics();
        List<MetricDefinition> users = metrics.stream().filter(m -> m.entity() == EntityType.USER).toList();
        List<MetricDefinition> accounts = metrics.stream().filter(m -> m.entity() == EntityType.ACCOUNT).toList();
        LocalDate d = LocalDate.parse("2026-06-30");
        java.util.function.Function<String, MetricDefinition> named =
                name -> metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();

        assertEquals(Optional.of(List.of("run")), MetricValues.eventsRead(List.of(named.apply("trend"))));
        assertEquals(LocalDate.parse("2026-06-17"), MetricValues.readFrom(List.of(named.apply("trend")), d, false), "14 days");
        assertEquals(Optional.empty(), MetricValues.eventsRead(users), "event:* reads every event");
        assertEquals(LocalDate.parse("2026-06-17"), MetricValues.readFrom(users, d, false));

        assertEquals(Optional.of(List.of("export", "login", "run")), MetricValues.eventsRead(accounts).map(e -> e.stream().sorted().toList()),
                "the where (over silver events) and the custom source read no daily activity");
        assertEquals(null, MetricValues.readFrom(accounts, d, false), "days_since is all time");
        assertEquals(Optional.of(LocalDate.parse("2026-06-01")), MetricValues.monthlyRowsBefore(accounts, d),
                "the months before June from the rollup");
        assertEquals(LocalDate.parse("2026-06-01"), MetricValues.readFrom(accounts, d, true), "the where's 30 days");
        assertEquals(Optional.of(List.of()), MetricValues.eventsRead(List.of(named.apply("big"), named.apply("tickets"))));
        assertEquals(d, MetricValues.readFrom(List.of(named.apply("tickets")), d, false),
                "an all-time custom source reads the CRM's custom metrics as of D, no day of daily activity");
    }

    @Test
    void eachMistakeIsNamed() throws Exception {
        assertTrue(error("  m { entity = account, aggregates.x { source = \"event:a\", op = median }, value = x }")
                .contains("'metrics.m.aggregates.x.op': 'median' is not one of sum, count, avg"));
        assertTrue(error("  m { entity = account, aggregates.x { source = \"events:a\", op = sum }, value = x }")
                .contains("'metrics.m.aggregates.x.source'"));
        assertTrue(error("  m { entity = user, aggregates.x { source = \"event:a\", op = users }, value = x }")
                .contains("only for entity = account"));
        assertTrue(error("  m { entity = account, aggregates.x { source = \"event:a\", op = avg_daily }, value = x }")
                .contains("it needs days"));
        assertTrue(error("  m { entity = account, aggregates.x { source = \"event:a\", op = sum, window = 7 }, value = x }")
                .contains("unknown key 'window'"));
        assertTrue(error("  m { entity = planet, value = \"1\" }").contains("'planet' is not one of user, account"));
        assertTrue(error("  m { entity = user, value = \"1 +* 2\" }").contains("'metrics.m.value': not a Spark SQL expression"));
    }
}
