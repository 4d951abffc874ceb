package io.beatline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.UserDailyActivity;
import io.beatline.cli.Cli;
import io.beatline.core.Lake;
import io.beatline.core.PipelineRuns;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.SilverEvents;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentChanges;
import io.beatline.segments.SegmentHistory;
import io.beatline.segments.SegmentMembership;
import io.beatline.segments.SegmentSummary;
import io.beatline.testing.BeatlineProcesses;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a scheduler meets: a job killed in the middle of its writes, and two runs of one date
 * started at once. Each runs `beatline run` in its own JVM (as a scheduler would) over the last
 * six days of data-samples/, and compares the tables with those of a clean run.
 */
class FaultsIT {

    static final String AS_OF = "2026-06-30";
    /** The tables a run produces, compared row for row (run ids and run times left out). */
    static final List<TableSpec> COMPARED = List.of(SilverEvents.TABLE, UserDailyActivity.TABLE, UserEngagement.TABLE,
            AccountKpis.TABLE, MetricValues.TABLE, SegmentMembership.TABLE, SegmentChanges.TABLE, SegmentHistory.TABLE,
            SegmentSummary.TABLE);

    @TempDir
    Path dir;
    Path raw;

    @BeforeEach
    void rawZone() {
        raw = BeatlineProcesses.recentSamples(dir);
    }

    List<String> beatlineArgs(Path lake) {
        return List.of("run", "--as-of", AS_OF, "--config", BeatlineProcesses.ROOT.resolve("conf/application.conf").toString(),
                "--conf", "raw=\"" + raw + "\"", "--conf", "lake=\"" + lake + "\"",
                "--conf", "spark.conf.\"spark.sql.shuffle.partitions\"=2",
                "--conf", "spark.conf.\"spark.ui.enabled\"=false");
    }

    /** `beatline run` in a JVM of its own, as scripts/beatline starts it. */
    Process start(Path lake, Path log) throws IOException {
        List<String> command = new ArrayList<>(BeatlineProcesses.javaCommand("io.beatline.cli.Beatline"));
        command.addAll(beatlineArgs(lake));
        ProcessBuilder builder = new ProcessBuilder(command).directory(BeatlineProcesses.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    static int await(Process process) throws InterruptedException {
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("beatline run did not finish in 8 minutes");
        }
        return process.exitValue();
    }

    /** A clean run, in this JVM, for the rows every fault must end with. */
    Path cleanLake() {
        Path lake = dir.resolve("clean-lake");
        Cli clean = Cli.run(beatlineArgs(lake).toArray(String[]::new));
        assertEquals(0, clean.exitCode(), clean.err());
        return lake;
    }

    @Test
    void aRunKilledAfterItsFirstCommitLeavesReadableTablesAndTheRerunEqualsACleanRun() throws Exception {
        Path lake = dir.resolve("lake");
        Path log = dir.resolve("killed.log");
        Process run = start(lake, log);
        Path firstCommit = lake.resolve("silver/events/_delta_log/00000000000000000000.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(firstCommit) && run.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(firstCommit), "no commit seen: " + Files.readString(log, StandardCharsets.UTF_8));
        run.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, the lake lock left behind
        run.waitFor();

        // every table that exists reads
        try (Stream<Path> logs = Files.walk(lake)) {
            for (Path deltaLog : logs.filter(p -> p.getFileName().toString().equals("_delta_log")).toList()) {
                TestSpark.session().read().format("delta").load(deltaLog.getParent().toString()).count();
            }
        }
        assertTrue(Files.exists(lake.resolve("meta/_beatline.lock")), "the killed run's lock is still there");

        Cli rerun = Cli.run(beatlineArgs(lake).toArray(String[]::new));
        assertEquals(0, rerun.exitCode(), rerun.err());
        BeatlineProcesses.assertSameTables(cleanLake(), lake, COMPARED);
    }

    @Test
    void twoRunsOfOneDateAtOnceEndAsOneRunWithTheOtherStoppedClearly() throws Exception {
        Path lake = dir.resolve("lake");
        Process first = start(lake, dir.resolve("first.log"));
        Process second = start(lake, dir.resolve("second.log"));
        int firstExit = await(first);
        int secondExit = await(second);
        String firstLog = Files.readString(dir.resolve("first.log"));
        String secondLog = Files.readString(dir.resolve("second.log"));
        List<Integer> exits = new ArrayList<>(List.of(firstExit, secondExit));
        exits.sort(null);
        assertEquals(List.of(0, 1), exits, "one succeeds, one stops:\n" + firstLog + "\n----\n" + secondLog);
        String stopped = firstExit == 1 ? firstLog : secondLog;
        assertTrue(stopped.contains("Another beatline job is working on the lake"), stopped);
        assertEquals(1, TestSpark.session().read().format("delta").load(new Lake(lake.toString()).path(PipelineRuns.TABLE))
                .filter("job = 'run' AND status = 'failed'").count(), "the stopped run is in the run log");
        BeatlineProcesses.assertSameTables(cleanLake(), lake, COMPARED);
    }
}
