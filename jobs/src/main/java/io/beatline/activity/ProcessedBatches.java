package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.PipelineRuns;
import io.beatline.core.SqlPredicates;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code meta/processed_batches}: which ingested batch (landing date, ingest run) a downstream
 * stage has already folded in. A stage finds its work as the batches of
 * {@code meta/ingested_batches} whose run it has not processed yet, so a crash between
 * ingestion and the stage loses nothing.
 */
public final class ProcessedBatches {

    public static final TableSpec TABLE = new TableSpec("meta", "processed_batches",
            new StructType()
                    .add("consumer", StringType, false,
                            "the stage, e.g. `activity`")
                    .add("source", StringType, false,
                            "`events`")
                    .add("landing_date", DateType, false,
                            "the batch's landing date")
                    .add("ingest_run_id", StringType, false,
                            "the ingestion run that produced it")
                    .add("processed_at", TimestampType, false,
                            "when the stage processed it")
                    .add("run_id", StringType, true,
                            "the stage's run that processed it; null on rows written before 2026-12")
                    .add("run_rows_written", LongType, true,
                            "the rows that run wrote, for all the batches it processed (what its run-log row says, kept here for a run killed before its row)"),
            List.of("consumer", "source", "landing_date"),
            List.of(),
            "one row per consumer stage and ingested batch it has processed");

    private ProcessedBatches() {
    }

    /** Ingested batches ({@code source, landing_date, run_id}) of {@code source} that {@code consumer} has not processed. */
    public static List<Row> pending(TableStore store, String consumer, String source, Dataset<Row> ingested) {
        Dataset<Row> processed = store.read(TABLE).filter(col("consumer").equalTo(consumer));
        Dataset<Row> batches = ingested.filter(col("source").equalTo(source)).select("source", "landing_date", "run_id");
        return batches
                .join(processed, batches.col("source").equalTo(processed.col("source"))
                        .and(batches.col("landing_date").equalTo(processed.col("landing_date")))
                        .and(batches.col("run_id").equalTo(processed.col("ingest_run_id"))), "left_anti")
                .orderBy("landing_date")
                .collectAsList();
    }

    /**
     * Marks {@code batches} ({@code source, landing_date, run_id} rows) processed by run
     * {@code runId} of {@code consumer}, which wrote {@code rowsWritten} rows, in one commit.
     */
    public static void record(TableStore store, String consumer, List<Row> batches, String runId, long rowsWritten) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = batches.stream().map(b -> RowFactory.create(consumer, b.getAs("source"), b.getAs("landing_date"),
                        b.getAs("run_id"), now, runId, rowsWritten))
                .toList();
        String condition = SqlPredicates.and(SqlPredicates.equalTo("consumer", consumer), SqlPredicates.or(batches.stream()
                .<String>map(b -> SqlPredicates.and(SqlPredicates.equalTo("source", b.<String>getAs("source")),
                        SqlPredicates.equalTo("landing_date", b.<Date>getAs("landing_date"))))
                .toList()));
        store.replace(TABLE, store.spark().createDataFrame(rows, TABLE.schema()), condition);
    }

    /**
     * The runs of {@code consumer} that processed batches and have no row in the run log (killed
     * between this table's commit and their row): for each, its rows here, oldest first.
     */
    public static Map<String, List<Row>> unlogged(TableStore store, String consumer) {
        Dataset<Row> logged = store.read(PipelineRuns.TABLE).filter(col("job").equalTo(consumer)).select("run_id");
        Dataset<Row> processed = store.read(TABLE).filter(col("consumer").equalTo(consumer).and(col("run_id").isNotNull()));
        Map<String, List<Row>> byRun = new LinkedHashMap<>();
        for (Row row : processed.join(logged, processed.col("run_id").equalTo(logged.col("run_id")), "left_anti")
                .orderBy("processed_at", "landing_date").collectAsList()) {
            byRun.computeIfAbsent(row.getAs("run_id"), id -> new ArrayList<>()).add(row);
        }
        return byRun;
    }
}
