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
