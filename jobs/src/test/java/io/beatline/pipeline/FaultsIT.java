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
import io.beatline.core.PipelineRuns;
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

    static final String AS_OF = "2026-06-30";
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
    static Path shared;
    static Path sharedRaw;
    static Path clean;

    @TempDir
    Path dir;

    @BeforeAll
    static void cleanRun() {
        sharedRaw = BeatlineProcesses.recentSamples(shared);
        clean = shared.resolve("clean-lake");
        Cli run = Cli.run(beatlineArgs(clean).toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
    }

    static List<String> beatlineArgs(Path lake) {
        return List.of("run", "--as-of", AS_OF, "--config", BeatlineProcesses.ROOT.resolve("conf/application.conf").toString(),
                "--conf", "raw=\"" + sharedRaw + "\"", "--conf", "lake=\"" + lake + "\"",
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
     * Issue 14: `run` is killed (SIGKILL: no shutdown hook, the lake lock left behind) right after
     * the last commit of its first stage; a rerun is killed right after its second stage's, and so
     * on through the sixth; then a last rerun ends the day. Every table must equal the clean run's,
     * and so must the run log's counts: before the run log survived a kill, the rows of ingest-events
     * were lost with a run killed later, and the rerun logged "nothing to do".
     */
    @Test
    void aRunKilledAtEveryStageInTurnThenRerunEqualsACleanRunRunLogIncluded() throws Exception {
        Path lake = dir.resolve("lake");
        List<String> kills = new ArrayList<>();
        for (int stage = 0; stage < LAST_COMMITS.size(); stage++) {
            Path table = lake.resolve(LAST_COMMITS.get(stage));
            long before = commits(table);
            Path log = dir.resolve("killed-" + stage + ".log");
            Process run = start(lake, log);
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
        // every table the killed runs left reads (checked once: a kill touches only what its stage writes)
        try (Stream<Path> logs = Files.walk(lake)) {
            for (Path deltaLog : logs.filter(p -> p.getFileName().toString().equals("_delta_log")).toList()) {
                TestSpark.session().read().format("delta").load(deltaLog.getParent().toString()).count();
            }
        }
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
        for (TableSpec silver : List.of(SilverEvents.TABLE, CrmEntity.COMPANIES.table)) {
            Dataset<Row> rows = TestSpark.session().read().format("delta").load(new Lake(lake.toString()).path(silver));
            assertEquals(0, rows.select("run_id").distinct().join(runs, rows.col("run_id").equalTo(runs.col("run_id")),
                    "left_anti").count(), silver.name() + ": every run id is in the run log");
        }
        System.out.println("FaultsIT: run-log rows recorded for killed runs: "
                + runs.filter("status = 'interrupted'").select("job").collectAsList());
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
        BeatlineProcesses.assertSameTables(clean, lake, COMPARED);
    }
}
