package io.beatline.ingest;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver/events_quarantine}: one row per raw line (or corrupt file) that was not accepted,
 * with the reason; partitioned by landing date.
 */
public final class EventsQuarantine {

    /** Every reason a raw event can be quarantined for, in the order they are checked. */
    public static final List<String> REASONS = List.of(
            "malformed_json", "missing_event_id", "missing_event", "missing_identity",
            "bad_timestamp", "too_old_timestamp", "future_timestamp", "corrupt_file", "unsupported_file");

    public static final TableSpec TABLE = new TableSpec("silver", "events_quarantine",
            new StructType()
                    .add("landing_date", DateType, false,
                            "the `dt=` folder")
                    .add("source_file", StringType, false,
                            "the raw file")
                    .add("raw", StringType, true,
                            "the original line, as it was; for a corrupt file, the read error")
                    .add("reason", StringType, false,
                            "why it was not accepted: `malformed_json`, `missing_event_id`, `missing_event`, `missing_identity`, `bad_timestamp`, `too_old_timestamp`, `future_timestamp`, `corrupt_file` or `unsupported_file`")
                    .add("run_id", StringType, false,
                            "the ingestion run"),
            List.of(),
            List.of("landing_date"),
            "one row per rejected raw line or unreadable file; no key: a line sent twice is two rows");

    private EventsQuarantine() {
    }
}
