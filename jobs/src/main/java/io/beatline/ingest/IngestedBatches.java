package io.beatline.ingest;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.SqlPredicates;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code meta/ingested_batches}: one row per source and landing date that was ingested, with a
 * fingerprint of its files (names, sizes, modification times). A landing date whose files are
 * unchanged is not ingested again; one whose files changed is re-ingested in full.
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
                            "when"),
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

    /** Records that {@code batches} (of any sources) were ingested by {@code runId}, in one commit. */
    public static void record(TableStore store, List<LandedBatch> batches, String runId) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = batches.stream().map(batch -> RowFactory.create(batch.source(), Date.valueOf(batch.landingDate()),
                batch.fingerprint(), batch.files().size(), batch.bytes(), runId, now)).toList();
        String condition = SqlPredicates.or(batches.stream()
                .map(batch -> SqlPredicates.and(SqlPredicates.equalTo("source", batch.source()),
                        SqlPredicates.equalTo("landing_date", batch.landingDate())))
                .toList());
        store.replace(TABLE, store.spark().createDataFrame(rows, TABLE.schema()), condition);
    }
}
