package io.beatline.ingest;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code meta/ingested_batches}: one row per source and landing date that was ingested, with a
 * fingerprint of its files (names, sizes, modification times). A landing date whose files are
 * unchanged is not ingested again; one whose files changed is re-ingested in full.
 */
public final class IngestedBatches {

    public static final TableSpec TABLE = new TableSpec("meta", "ingested_batches",
            new StructType()
                    .add("source", StringType, false)
                    .add("landing_date", DateType, false)
                    .add("fingerprint", StringType, false)
                    .add("files", IntegerType, false)
                    .add("bytes", LongType, false)
                    .add("run_id", StringType, false)
                    .add("ingested_at", TimestampType, false),
            List.of("source", "landing_date"),
            List.of(),
            "one row per source and landing date ingested");

    private IngestedBatches() {
    }
}
