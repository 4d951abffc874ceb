package io.beatline.ingest;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver/events}: one row per accepted event ({@code event_id} unique), partitioned by the
 * event's date in the configured time zone.
 */
public final class SilverEvents {

    public static final TableSpec TABLE = new TableSpec("silver", "events",
            new StructType()
                    .add("event_id", StringType, false)
                    .add("event", StringType, false)
                    .add("user_id", StringType, true)
                    .add("anonymous_id", StringType, true)
                    .add("account_id", StringType, true)
                    .add("ts", TimestampType, false)
                    .add("event_date", DateType, false)
                    .add("properties", createMapType(StringType, StringType), true)
                    .add("weight", DoubleType, false)
                    .add("counted", BooleanType, false)
                    .add("source_file", StringType, false)
                    .add("landing_date", DateType, false)
                    .add("run_id", StringType, false),
            List.of("event_id"),
            List.of("event_date"),
            "one row per accepted event");

    private SilverEvents() {
    }
}
