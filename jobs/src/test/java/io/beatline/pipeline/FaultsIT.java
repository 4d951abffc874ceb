package io.beatline.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.ActorDailyActivity;
import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.cli.Cli;
import io.beatline.core.Lake;
import io.beatline.core.TableSpec;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmQuarantine;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.EventsQuarantine;
import io.beatline.ingest.Identities;
import io.beatline.ingest.SilverEvents;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentChanges;
import io.beatline.segments.SegmentHistory;
import io.beatline.segments.SegmentMembership;
import io.beatline.segments.SegmentSummary;
import io.beatline.testing.BeatlineProcesses;
import io.beatline.testing.RecentSamplesLake;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a scheduler meets: a run killed at each of its stages in turn, and two runs of one date
 * started at once. Each runs `beatline run` in its own JVM (as a scheduler would) over the last
 * six days of data-samples/, and compares the tables, and the run log's counts, with those of one
 * clean run the tests share.
 */
class FaultsIT {

    /** The tables a run produces, compared row for row (run ids and run times left out). */
    static final List<TableSpec> COMPARED = List.of(SilverEvents.TABLE, EventsQuarantine.TABLE, Identities.TABLE,
            Identities.CONFLICTS, ActorDailyActivity.TABLE, UserDailyActivity.TABLE,
            UserMonthlyActivity.TABLE, CrmEntity.COMPANIES.table, CrmEntity.END_USERS.table, CrmEntity.LICENSES.table,
            CrmQuarantine.TABLE, UserEngagement.TABLE, AccountKpis.TABLE, MetricValues.TABLE, SegmentMembership.TABLE,
            SegmentChanges.TABLE, SegmentHistory.TABLE, SegmentSummary.TABLE);

    /**
     * Where each stage of `run` makes its last commit, in stage order: the kill that follows it
     * lands between the stage's work and its run-log row (or just after the row).
     */
    static final List<String> LAST_COMMITS = List.of(
            "meta/ingested_batches",   // ingest-events
            "meta/ingested_batches",   // ingest-crm
            "meta/processed_batches",  // activity
            "gold/user_engagement",    // engagement
            "gold/metric_values",      // metrics
            "gold/segment_summary");   // segments

    @TempDir
    Path dir;

    static Path clean;

    @BeforeAll
    static void cleanRun() {
        clean = RecentSamplesLake.clean();
    }

    static List<String> beatlineArgs(Path lake) {
        return RecentSamplesLake.runArgs(lake);
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

    /** The commit files of a table's _delta_log (none when it does not exist yet). */
    static long commits(Path table) throws IOException {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).count();
        }
    }

    /**
     * Issue 14: two runs of the day start at once on an empty lake; one stops at once ("Another
     * beatline job is working on the lake", a failed row in the run log), the other is killed
     * (SIGKILL: no shutdown hook, the lake lock left behind) right after the last commit of its
     * first stage; a rerun is killed right after its second stage's, and so on through the sixth;
     * then a last rerun ends the day. Every table must equal the clean run's, and so must the run
     * log's counts: before the run log survived a kill, the rows of ingest-events were lost with a
     * run killed later, and the rerun logged "nothing to do". (One test, not two: each started
     * JVM costs most of a minute of CI.)
     */
    @Test
    void twoRunsAtOnceThenARunKilledAtEveryStageInTurnThenRerunEqualsACleanRunRunLogIncluded() throws Exception {
        Path lake = dir.resolve("lake");
        List<String> kills = new ArrayList<>();
        for (int stage = 0; stage < LAST_COMMITS.size(); stage++) {
            Path table = lake.resolve(LAST_COMMITS.get(stage));
            long before = commits(table);
            Path log = dir.resolve("killed-" + stage + ".log");
            Process run = start(lake, log);
            if (stage == 0) {
                Running winner = winnerOfTwoAtOnce(new Running(run, log), lake);
                run = winner.process();
                log = winner.log();
            }
            // a safety net, not a timing assertion: a loaded machine runs the six stages slowly
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (commits(table) == before && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(run.isAlive() && commits(table) > before, "stage " + (stage + 1) + " made no commit in "
                    + LAST_COMMITS.get(stage) + " before the run ended or 10 minutes passed: " + Files.readString(log, StandardCharsets.UTF_8));
            run.destroyForcibly();
            run.waitFor();
            kills.add(LAST_COMMITS.get(stage));
        }
        // every table the killed runs left must read: the rerun reads each one it builds on, and the comparison
        // below every table a run writes (a separate pass over them cost 1.5 minutes of CI and proved no more)
        assertTrue(Files.exists(lake.resolve("meta/_beatline.lock")), "the last killed run's lock is still there");

        Cli rerun = Cli.run(beatlineArgs(lake).toArray(String[]::new));
        assertEquals(0, rerun.exitCode(), rerun.err());
        BeatlineProcesses.assertSameTables(clean, lake, COMPARED);

        // the run log accounts for every row, as the clean run's does
        assertEquals(ingestCounts(clean), ingestCounts(lake), "ingestion's counts in the run log, after kills " + kills);
        assertEquals(landingCounts(clean), landingCounts(lake), "each landing's counts in meta/ingested_batches");
        for (String job : List.of("engagement", "metrics", "segments")) {
            assertEquals(lastWritten(clean, job), lastWritten(lake, job), job + ": rows written by its last run");
        }
        Dataset<Row> runs = TestSpark.session().read().format("delta").load(lake.resolve("meta/pipeline_runs").toString());
        assertEquals(1, runs.filter("job = 'run' AND status = 'failed'").count(),
                "the run stopped by the other's lock is in the run log, and no other run failed");
        for (TableSpec silver : List.of(SilverEvents.TABLE, CrmEntity.COMPANIES.table)) {
            Dataset<Row> rows = TestSpark.session().read().format("delta").load(new Lake(lake.toString()).path(silver));
            assertEquals(0, rows.select("run_id").distinct().join(runs, rows.col("run_id").equalTo(runs.col("run_id")),
                    "left_anti").count(), silver.name() + ": every run id is in the run log");
        }
        System.out.println("FaultsIT: run-log rows recorded for killed runs: "
                + runs.filter("status = 'interrupted'").select("job").collectAsList());
    }

    /**
     * Starts a second run beside {@code first} and waits until one of the two has stopped, exit 1
     * and the lock message; returns the other, still running, with its log. Should the stopped one
     * be slow, the winner may be past its first stage's commit by then: it is killed where it is,
     * which is as good a point as any for the rest of the test.
     */
    Running winnerOfTwoAtOnce(Running first, Path lake) throws Exception {
        Running second = new Running(start(lake, dir.resolve("second.log")), dir.resolve("second.log"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (first.process().isAlive() && second.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Running stopped = first.process().isAlive() ? second : first;
        Running winner = stopped == first ? second : first;
        String stoppedLog = Files.readString(stopped.log(), StandardCharsets.UTF_8);
        assertTrue(!stopped.process().isAlive() && winner.process().isAlive(), "one of two runs started at once stops, the"
                + " other goes on:\n" + Files.readString(first.log()) + "\n----\n" + Files.readString(second.log()));
        assertEquals(1, stopped.process().exitValue(), stoppedLog);
        assertTrue(stoppedLog.contains("Another beatline job is working on the lake"), stoppedLog);
        return winner;
    }

    /** A started `beatline run` and the file its output goes to. */
    record Running(Process process, Path log) {
    }

    /** Per ingest job (and CRM entity): rows read, written, duplicate, quarantined over its runs that committed. */
    static Map<String, List<Long>> ingestCounts(Path lake) {
        Map<String, List<Long>> counts = new TreeMap<>();
        for (Row row : TestSpark.session().read().format("delta").load(lake.resolve("meta/pipeline_runs").toString())
                .filter("(job LIKE 'ingest-%' OR job = 'activity') AND status IN ('succeeded', 'interrupted')")
                .groupBy("job").agg(sum("rows_read"), sum("rows_written"), sum("rows_duplicate"), sum("rows_quarantined"))
                .collectAsList()) {
            counts.put(row.getString(0), List.of(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)));
        }
        return counts;
    }

    static List<String> landingCounts(Path lake) {
        return TestSpark.session().read().format("delta").load(lake.resolve("meta/ingested_batches").toString())
                .select("source", "landing_date", "fingerprint", "rows_read", "rows_written", "rows_duplicate", "rows_quarantined")
                .collectAsList().stream().map(Row::toString).sorted().toList();
    }

    static long lastWritten(Path lake, String job) {
        return TestSpark.session().read().format("delta").load(lake.resolve("meta/pipeline_runs").toString())
                .filter("job = '" + job + "' AND status = 'succeeded'").orderBy(col("finished_at").desc())
                .first().getAs("rows_written");
    }
}
