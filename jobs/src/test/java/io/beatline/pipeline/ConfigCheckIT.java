package io.beatline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.testing.SampleEvents;
import io.beatline.testing.TestLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration error is found before the first stage writes: after a good run of
 * 2026-03-10, a run of the same date with a metric value, a health source or a segment
 * {@code where} that does not resolve exits 2 naming the file, line and key, and no table of the
 * lake (the run log included) has a new Delta version; validate-config finds the same errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigCheckIT {

    static final String D = "2026-03-10";

    @TempDir
    static Path dir;
    TestLake lake;

    @BeforeAll
    void aGoodRun() throws IOException {
        lake = new TestLake(dir);
        lake.landEvents(LocalDate.parse(D), "a.jsonl", SampleEvents.E1, SampleEvents.E11);
        Cli good = run(args("run", "--as-of", D), "# built-in defaults\n");
        assertEquals(0, good.exitCode(), good.err());
    }

    private String[] args(String command, String option, String value) {
        return new String[] {command, option, value};
    }

    /** Writes {@code config} (with the lake's settings first) and runs {@code command} on it. */
    private Cli run(String[] command, String config) throws IOException {
        Path file = dir.resolve("check.conf");
        Files.writeString(file, "raw = \"" + lake.raw + "\"\nlake = \"" + lake.lake + "\"\n"
                + "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }\n" + config);
        String[] all = new String[command.length + 2];
        System.arraycopy(command, 0, all, 0, command.length);
        all[command.length] = "--config";
        all[command.length + 1] = file.toString();
        return Cli.run(all);
    }

    /** Every Delta table below the lake with its number of commits. */
    private Map<String, Long> versions() throws IOException {
        Map<String, Long> versions = new TreeMap<>();
        try (Stream<Path> logs = Files.walk(lake.lake)) {
            logs.filter(path -> path.getFileName().toString().matches("\\d{20}\\.json"))
                    .forEach(commit -> versions.merge(lake.lake.relativize(commit.getParent().getParent()).toString(), 1L, Long::sum));
        }
        return versions;
    }

    private void assertConfigErrorBeforeAnyWrite(String config, String... mentions) throws IOException {
        Map<String, Long> before = versions();
        assertTrue(before.containsKey("gold/user_engagement") && before.containsKey("meta/pipeline_runs"), before.toString());
        Cli bad = run(args("run", "--as-of", D), config);
        assertEquals(2, bad.exitCode(), bad.out() + bad.err());
        for (String mention : mentions) {
            assertTrue(bad.err().contains(mention), "'" + mention + "' in: " + bad.err());
        }
        assertEquals(before, versions(), "no table changed");
        Cli validate = run(new String[] {"validate-config"}, config);
        assertEquals(2, validate.exitCode(), validate.out() + validate.err());
        assertTrue(validate.err().contains(mentions[0]), validate.err());
    }

    @Test
    void aMetricValueNamingAnUnknownColumn() throws IOException {
        assertConfigErrorBeforeAnyWrite("""
                metrics.bad {
                  entity = account
                  aggregates.logins { source = "event:login", op = count, days = 7 }
                  value = "logins + no_such_column"
                }
                """, "metrics.bad.value", "check.conf, line ", "no_such_column");
    }

    @Test
    void aHealthSourceThatIsNeitherAMetricNorAColumn() throws IOException {
        assertConfigErrorBeforeAnyWrite("""
                health.account.components.usage { source = no_such_column, weight = 1, good = 10, bad = 0 }
                """, "health.account.components.usage.source", "no_such_column");
    }

    @Test
    void aSegmentWhereThatDoesNotResolve() throws IOException {
        assertConfigErrorBeforeAnyWrite("""
                segments = [ { id = odd, name = Odd, description = "a where on no field", entity = user,
                               rule { where = "no_such_field > 1" } } ]
                """, "segment 'odd'", "check.conf", "no_such_field");
    }
}
