package io.beatline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.testing.BeatlineProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/bench at its smoke scale, as a user runs it: it generates the data, computes a
 * 5-day history, times the daily and the no-op run and the DuckDB reference, passes the differential
 * check and prints the table. No figure is asserted: the benchmark measures, the tests check.
 */
class BenchSmokeIT {

    @TempDir
    Path dir;

    @Test
    void theHarnessRunsEndToEndAndTheReferenceAgrees() throws IOException, InterruptedException {
        Path output = dir.resolve("bench.out");
        ProcessBuilder builder = new ProcessBuilder("bash", BeatlineProcesses.ROOT.resolve("scripts/bench").toString(), "--smoke",
                dir.resolve("work").toString())
                .directory(BeatlineProcesses.ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        // every JVM the bench starts is short-lived at this scale (BeatlineProcesses.SHORT_JVM_OPTIONS)
        builder.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", BeatlineProcesses.SHORT_JVM_OPTIONS));
        Process bench = builder.start();
        boolean finished = bench.waitFor(30, TimeUnit.MINUTES);
        if (!finished) {
            bench.destroyForcibly();
        }
        String text = Files.readString(output);
        assertTrue(finished, "scripts/bench --smoke did not finish in 30 minutes:\n" + text);
        assertEquals(0, bench.exitValue(), text);
        for (String row : new String[] {"daily run (whole process)", "  ingest-events", "  segments",
            "no-op run (whole process)", "duckdb full recompute", "peak RSS, daily run", "daily run / duckdb"}) {
            assertTrue(text.contains(row), "the table has a row '" + row + "':\n" + text);
        }
        assertTrue(text.contains("5-day history"), text);
        assertEquals(1, text.split("differential check for 2026-06-30: passed", -1).length - 1, text);
    }
}
