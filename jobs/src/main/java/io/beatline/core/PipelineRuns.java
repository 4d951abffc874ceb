package io.beatline.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code meta/pipeline_runs}: one row per run of a job for a date, succeeded or failed, with
 * the row counts that reconcile ({@code read = written + duplicate + quarantined} for ingestion).
 */
public final class PipelineRuns {

    public static final TableSpec TABLE = new TableSpec("meta", "pipeline_runs",
            new StructType()
                    .add("run_id", StringType, false,
                            "unique id of the run")
                    .add("job", StringType, false,
                            "`run`, `ingest-events`, `ingest-crm` (with one row per entity, `ingest-crm:companies`, ...), `activity`, `engagement`, `metrics` (until 2026-12 also `account-kpis` and `health`), `segments`, `check`, `maintain` (with one row per table it compacted or cleaned, `maintain:<table>`)")
                    .add("date", DateType, true,
                            "the as-of date (for ingestion: the latest landing date in the run)")
                    .add("started_at", TimestampType, false,
                            "when it started")
                    .add("finished_at", TimestampType, false,
                            "when it finished")
                    .add("status", StringType, false,
                            "`succeeded` or `failed`, or `interrupted`: the run committed its work and was killed before its row, which the next run of the stage wrote from the work's bookkeeping (meta/ingested_batches, meta/processed_batches)")
                    .add("rows_read", LongType, false,
                            "raw rows read (for ingestion: non-blank lines, Parquet rows, and unreadable or unsupported files, one each)")
                    .add("rows_written", LongType, false,
                            "rows written to the job's main table")
                    .add("rows_duplicate", LongType, false,
                            "rows dropped as duplicates")
                    .add("rows_quarantined", LongType, false,
                            "rows written to quarantine")
                    .add("message", StringType, true,
                            "a one-line summary, or the error of a failed run")
                    .add("config_hash", StringType, false,
                            "identifies the configuration the run used (credentials are left out of it)")
                    .add("version", StringType, false,
                            "beatline's version")
                    .add("inputs", StringType, true,
                            "`run` rows only: what the run saw (config hash, version, a signature of the landed folders, the version of every table in the lake); a later `run` for the same date that sees the same skips every stage. Null on other rows")
                    .add("lineage", StringType, true,
                            "the tables the job read and wrote, with their versions, as JSON: {\"read\":{\"silver/events\":[3]},\"written\":{\"gold/user_daily_activity\":[7]}} (the path below the lake; time travel with VERSION AS OF). Null on part rows and on rows written before 2026-12"),
            List.of("run_id", "job"),
            List.of(),
            "one row per run of a job for a date");

    /** The status of a run recorded by {@link #recordInterrupted}. */
    public static final String INTERRUPTED = "interrupted";

    private static final Logger LOG = LoggerFactory.getLogger(PipelineRuns.class);

    private PipelineRuns() {
    }

    /**
     * The inputs recorded by the latest successful run of {@code job} for {@code date}, if it
     * recorded any (a run log written before the column existed has none).
     */
    public static Optional<String> lastInputs(TableStore store, String job, LocalDate date) {
        Dataset<Row> runs = store.read(TABLE);
        if (!Arrays.asList(runs.columns()).contains("inputs")) {
            return Optional.empty();
        }
        List<Row> last = runs.filter(col("job").equalTo(job).and(col("date").equalTo(lit(Date.valueOf(date))))
                        .and(col("status").equalTo("succeeded")))
                .orderBy(col("finished_at").desc()).select("inputs").limit(1).collectAsList();
        return last.isEmpty() || last.get(0).isNullAt(0) ? Optional.empty() : Optional.of(last.get(0).getString(0));
    }

    /** How many of the run log's newest commits {@link #lastInputsHash} reads at most. */
    private static final int COMMITS_SEARCHED = 50;

    /**
     * The hash ({@code Hashes.shortSha256}) of the inputs recorded by the latest successful run
     * of {@code job}, when that run was for {@code date}, read from the userMetadata of the run
     * log's newest commit files without a Spark job (what a rerun of the same date costs); empty
     * otherwise (then {@link #lastInputs} reads the table).
     */
    public static Optional<String> lastInputsHash(TableStore store, String job, LocalDate date) {
        return lastInputsHash(store.spark().sparkContext().hadoopConfiguration(), store.lake(), job, date);
    }

    /** {@link #lastInputsHash(TableStore, String, LocalDate)} from the file system alone, before any SparkSession exists. */
    public static Optional<String> lastInputsHash(Configuration hadoop, Lake lake, String job, LocalDate date) {
        Optional<TableStore.Commit> latest = TableStore.commit(hadoop, lake, TABLE, -1);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        String ofJob = job + " ";
        String ofDate = job + " " + date + " succeeded inputs ";
        for (long version = latest.get().version(); version >= 0 && version > latest.get().version() - COMMITS_SEARCHED; version--) {
            Optional<String> metadata = TableStore.commit(hadoop, lake, TABLE, version).flatMap(TableStore.Commit::userMetadata);
            if (metadata.isPresent() && metadata.get().startsWith(ofJob) && metadata.get().contains(" succeeded inputs ")) {
                return metadata.get().startsWith(ofDate) ? Optional.of(metadata.get().substring(ofDate.length())) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * A run of a stage that committed its work and was killed before it wrote its run-log row, as
     * its bookkeeping tells it: its id, the date it ran for, when it committed, its counts, what
     * it committed (for the message) and its parts' counts.
     */
    public record Interrupted(String runId, LocalDate date, Instant committedAt, RowCounts counts, String committed,
                              List<JobResult.Part> parts) {
    }

    /**
     * Writes the rows of {@code runs} of {@code job} (status {@code interrupted}), in one commit,
     * so that the run log accounts for every committed row; {@code recordedBy} is the run that
     * found them. Nothing when there are none.
     */
    public static void recordInterrupted(JobContext context, String job, String recordedBy, List<Interrupted> runs) {
        List<JobRun> rows = new ArrayList<>();
        for (Interrupted run : runs) {
            String message = run.committed() + "; stopped before its run-log row, which run " + recordedBy + " wrote";
            rows.add(new JobRun(run.runId(), job, run.date(), run.committedAt(), run.committedAt(), INTERRUPTED,
                    run.counts(), message, context.config().hash(), context.version(), null));
            for (JobResult.Part part : run.parts()) {
                rows.add(new JobRun(run.runId(), job + ":" + part.name(), run.date(), run.committedAt(), run.committedAt(),
                        INTERRUPTED, part.counts(), part.message(), context.config().hash(), context.version(), null));
            }
        }
        if (!rows.isEmpty()) {
            LOG.warn("{}: {} run(s) committed and were killed before their run-log rows; recorded now: {}", job, runs.size(),
                    runs.stream().map(Interrupted::runId).toList());
            record(context.store(), rows);
        }
    }

    /** Appends the rows of one run (the job's, and one per part), in one commit. */
    public static void record(TableStore store, List<JobRun> runs) {
        List<Row> rows = runs.stream().map(run -> RowFactory.create(run.runId(), run.job(),
                run.date() == null ? null : Date.valueOf(run.date()),
                Timestamp.from(run.startedAt()), Timestamp.from(run.finishedAt()), run.status(),
                run.counts().read(), run.counts().written(), run.counts().duplicate(), run.counts().quarantined(),
                run.message(), run.configHash(), run.version(), run.inputs(), run.lineage())).toList();
        // a successful run that recorded its inputs says so in the commit, for lastInputsHash; any other names its
        // job, as the job's own commits do (beatline maintain finds its last run so)
        Optional<String> metadata = runs.stream().filter(run -> run.inputs() != null && run.status().equals("succeeded"))
                .findFirst().map(run -> run.job() + " " + run.date() + " succeeded inputs " + Hashes.shortSha256(run.inputs()))
                .or(() -> runs.stream().findFirst().map(run -> JobRunner.commitMetadata(run.job(), run.date(), run.runId())));
        store.append(TABLE, store.spark().createDataFrame(rows, TABLE.schema()), metadata);
    }
}
