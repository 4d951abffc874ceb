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
                    .add("event_id", StringType, false,
                            "the event's unique id; a re-delivered event keeps it, and only its first delivery is kept")
                    .add("event", StringType, false,
                            "the action, e.g. `login`, `run_report`")
                    .add("user_id", StringType, true,
                            "the end user; null for an anonymous event")
                    .add("anonymous_id", StringType, true,
                            "the device or browser id, when the event has one")
                    .add("account_id", StringType, true,
                            "the company the event names, as sent (may be null; later stages fall back to the CRM)")
                    .add("ts", TimestampType, false,
                            "when it happened")
                    .add("event_date", DateType, false,
                            "the day of `ts` in the configured time zone")
                    .add("properties", createMapType(StringType, StringType), true,
                            "the event's free-form properties; nested values are kept as JSON text")
                    .add("weight", DoubleType, false,
                            "how much the event counts towards beats and experience (`events.weights`, else `events.default-weight`)")
                    .add("counted", BooleanType, false,
                            "false for events listed in `events.excluded`: kept, but never counted")
                    .add("source_file", StringType, false,
                            "the raw file the event was read from")
                    .add("landing_date", DateType, false,
                            "the `dt=` folder it landed in (the day the file arrived)")
                    .add("run_id", StringType, false,
                            "the ingestion run that wrote it (see `meta_pipeline_runs`)"),
            List.of("event_id"),
            List.of("event_date"),
            "one row per accepted event");

    private SilverEvents() {
    }
}
