package io.beatline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.SqlPredicates;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code meta/ingested_batches}: one row per source and landing date that was ingested, with a
 * fingerprint of its files (names, sizes, modification times) and what its rows became. A
 * landing date whose files are unchanged is not ingested again; one whose files changed is
 * re-ingested in full. The row is an ingestion's last commit, so it also tells which run
 * ingested what when that run was killed before its run-log row ({@link #unlogged}).
 */
public final class IngestedBatches {

    public static final TableSpec TABLE = new TableSpec("meta", "ingested_batches",
            new StructType()
                    .add("source", StringType, false,
                            "`events`, or `crm/<entity>`")
                    .add("landing_date", DateType, false,
                            "the `dt=` folder")
                    .add("fingerprint", StringType, false,
                            "changes when a file is added, removed or rewritten")
                    .add("files", IntegerType, false,
                            "files in the folder")
                    .add("bytes", LongType, false,
                            "their total size")
                    .add("run_id", StringType, false,
                            "the run that ingested it")
                    .add("ingested_at", TimestampType, false,
                            "when")
                    .add("rows_read", LongType, true,
                            "raw rows of this landing read (non-blank lines, Parquet rows, CRM records, and unreadable or unsupported files, one each); null on rows ingested before 2026-12")
                    .add("rows_written", LongType, true,
                            "of them, rows written to the source's silver table")
                    .add("rows_duplicate", LongType, true,
                            "of them, events dropped as re-deliveries (CRM: 0, its duplicate keys are quarantined)")
                    .add("rows_quarantined", LongType, true,
                            "of them, rows written to the source's quarantine table; read = written + duplicate + quarantined"),
            List.of("source", "landing_date"),
            List.of(),
            "one row per source and landing date ingested");

    private IngestedBatches() {
    }

    /** The fingerprint of each landing date of {@code source} that was ingested. */
    public static Map<LocalDate, String> fingerprints(TableStore store, String source) {
        return fingerprints(store).getOrDefault(source, Map.of());
    }

    /** The fingerprint of each landing date that was ingested, by source: one read of the table. */
    public static Map<String, Map<LocalDate, String>> fingerprints(TableStore store) {
        Map<String, Map<LocalDate, String>> fingerprints = new LinkedHashMap<>();
        for (Row row : store.read(TABLE).select("source", "landing_date", "fingerprint").collectAsList()) {
            fingerprints.computeIfAbsent(row.<String>getAs("source"), source -> new LinkedHashMap<>())
                    .put(row.<Date>getAs("landing_date").toLocalDate(), row.getAs("fingerprint"));
        }
        return fingerprints;
    }

    /**
     * The landing dates of each source whose rows reached its silver table (rows_written above
     * 0, or not recorded): for CRM, the snapshot dates that hold records.
     */
    public static Map<String, Set<LocalDate>> landingsWithRows(TableStore store) {
        Map<String, Set<LocalDate>> dates = new LinkedHashMap<>();
        for (Row row : store.read(TABLE).filter(col("rows_written").isNull().or(col("rows_written").gt(0)))
                .select("source", "landing_date").collectAsList()) {
            dates.computeIfAbsent(row.<String>getAs("source"), source -> new TreeSet<>())
                    .add(row.<Date>getAs("landing_date").toLocalDate());
        }
        return dates;
    }

    /**
     * Records that {@code batches} (of any sources) were ingested by {@code runId}, each with what
     * its rows became, in one commit.
     */
    public static void record(TableStore store, Map<LandedBatch, RowCounts> batches, String runId) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = batches.entrySet().stream().map(entry -> {
            LandedBatch batch = entry.getKey();
            RowCounts counts = entry.getValue();
            return RowFactory.create(batch.source(), Date.valueOf(batch.landingDate()), batch.fingerprint(),
                    batch.files().size(), batch.bytes(), runId, now,
                    counts.read(), counts.written(), counts.duplicate(), counts.quarantined());
        }).toList();
        String condition = SqlPredicates.or(batches.keySet().stream()
                .map(batch -> SqlPredicates.and(SqlPredicates.equalTo("source", batch.source()),
                        SqlPredicates.equalTo("landing_date", batch.landingDate())))
                .toList());
        store.replace(TABLE, store.spark().createDataFrame(rows, TABLE.schema()), condition);
    }

    /**
     * The batches of {@code sources} ingested by runs that have no row of {@code job} in the run
     * log (a run killed between its last commit and its run-log row), by run id, oldest first.
     */
    public static Map<String, List<Row>> unlogged(TableStore store, String job, List<String> sources) {
        Dataset<Row> logged = store.read(PipelineRuns.TABLE).filter(col("job").equalTo(job)).select("run_id");
        Dataset<Row> batches = store.read(TABLE).filter(col("source").isin(sources.toArray()));
        Map<String, List<Row>> byRun = new LinkedHashMap<>();
        for (Row row : batches.join(logged, batches.col("run_id").equalTo(logged.col("run_id")), "left_anti")
                .orderBy("ingested_at", "source", "landing_date").collectAsList()) {
            byRun.computeIfAbsent(row.getAs("run_id"), id -> new ArrayList<>()).add(row);
        }
        return byRun;
    }

    /** A row's counts (zeros on a row written before the table had them). */
    public static RowCounts counts(Row row) {
        return new RowCounts(longOrZero(row, "rows_read"), longOrZero(row, "rows_written"),
                longOrZero(row, "rows_duplicate"), longOrZero(row, "rows_quarantined"));
    }

    private static long longOrZero(Row row, String column) {
        Object value = row.getAs(column);
        return value == null ? 0 : (Long) value;
    }
}
