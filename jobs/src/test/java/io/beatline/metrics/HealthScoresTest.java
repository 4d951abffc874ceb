package io.beatline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.config.ConfigLoader;
import io.beatline.config.EntityType;
import io.beatline.config.HealthComponent;
import io.beatline.core.BeatlineException;
import io.beatline.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health scores on in-memory rows, by hand. */
class HealthScoresTest {

    @TempDir
    Path dir;

    @Test
    void clampsInBothDirectionsAndAveragesTheComponentsThatHaveAValue() {
        // usage: beats_total, good 100, bad 0, weight 3; tickets: metric, good 0, bad 10 (lower is better), weight 1
        List<HealthComponent> components = List.of(
                new HealthComponent("tickets", "open_tickets", true, 1, 0, 10),
                new HealthComponent("usage", "beats_total", false, 3, 100, 0));
        Dataset<Row> accounts = TestSpark.session().sql(
                "SELECT * FROM VALUES ('a', 50.0), ('b', 150.0), ('c', CAST(NULL AS DOUBLE)), ('d', CAST(NULL AS DOUBLE))"
                        + " AS t(account_id, beats_total)");
        Dataset<Row> metrics = TestSpark.session().sql(
                "SELECT * FROM VALUES ('a', 'open_tickets', 2.0), ('b', 'open_tickets', 20.0), ('c', 'open_tickets', -5.0),"
                        + " ('a', 'other', 99.0) AS t(entity_id, metric, value)");
        Map<String, Row> scored = HealthScores.score(accounts, "account_id", metrics, components).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("account_id"), r -> r));

        // a: usage 50, tickets (2 - 10) / (0 - 10) = 0.8 -> 80; health (3 * 50 + 1 * 80) / 4 = 57.5
        assertEquals(50.0, (double) scored.get("a").getAs("health.usage"));
        assertEquals(80.0, (double) scored.get("a").getAs("health.tickets"), 1e-9);
        assertEquals(57.5, (double) scored.get("a").getAs("health"), 1e-9);
        // b: usage clamps to 100, tickets (20 over bad) clamps to 0; (300 + 0) / 4 = 75
        assertEquals(100.0, (double) scored.get("b").getAs("health.usage"));
        assertEquals(0.0, (double) scored.get("b").getAs("health.tickets"));
        assertEquals(75.0, (double) scored.get("b").getAs("health"));
        // c: no usage value: the weighted mean of the tickets component alone (-5 is better than good: 100)
        assertNull(scored.get("c").getAs("health.usage"));
        assertEquals(100.0, (double) scored.get("c").getAs("health"));
        // d: no component has a value
        assertNull(scored.get("d").getAs("health"));
    }

    @Test
    void configErrorsNameTheKey() throws Exception {
        Path file = dir.resolve("h.conf");
        Files.writeString(file, "metrics.m { entity = account, value = \"1\" }\n"
                + "health.account.components.a { source = \"metric.nope\", weight = 1, good = 1, bad = 0 }\n");
        BeatlineException e = assertThrows(BeatlineException.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
        assertTrue(e.getMessage().contains("h.conf, line 2") && e.getMessage().contains("no account metric 'nope'"), e.getMessage());

        Files.writeString(file, "health.account.components.a { source = beats_total, weight = 1, good = 5, bad = 5 }\n");
        e = assertThrows(BeatlineException.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
        assertTrue(e.getMessage().contains("good and bad must differ"), e.getMessage());

        Files.writeString(file, "health.planet.components.a { source = x, weight = 1, good = 1, bad = 0 }\n");
        e = assertThrows(BeatlineException.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
        assertTrue(e.getMessage().contains("'account' or 'user'"), e.getMessage());

        Files.writeString(file, "metrics.health { entity = account, value = \"1\" }\n");
        e = assertThrows(BeatlineException.class, () -> ConfigLoader.load(Optional.of(file), List.of()));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());

        Files.writeString(file, "metrics.m { entity = account, value = \"1\" }\n"
                + "health.account.components.a { source = m, weight = 2, good = 1, bad = 0 }\n");
        HealthComponent component = ConfigLoader.load(Optional.of(file), List.of()).health()
                .get(EntityType.ACCOUNT).get(0);
        assertTrue(component.sourceIsMetric(), "a plain name that is a metric is the metric");
        assertEquals(2.0, component.weight());
    }

    @Test
    void anInputWithoutARequiredColumnIsNamedBeforeAnyPlanIsBuilt() {
        Dataset<Row> accounts = TestSpark.session().sql("SELECT * FROM VALUES ('a', 1.0) AS t(account_id, beats_total)");
        Dataset<Row> noValue = TestSpark.session().sql("SELECT * FROM VALUES ('a', 'm') AS t(entity_id, metric)");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HealthScores.score(accounts,
                "account_id", noValue, List.of(new HealthComponent("m", "m", true, 1, 1, 0))));
        assertEquals("metric values lacks the columns [value] (it has [entity_id, metric])", error.getMessage());
    }
}
