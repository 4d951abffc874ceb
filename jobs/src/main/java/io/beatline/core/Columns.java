package io.beatline.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/** Column expressions shared by the stages that read raw text. */
public final class Columns {

    private Columns() {
    }

    /**
     * A timestamp from text: ISO-8601 (with an offset or Z; without one, in the session time
     * zone; seconds may be left out), or epoch milliseconds of up to 15 digits. Null when it is
     * neither.
     */
    public static Column parseTimestamp(Column text) {
        Column trimmed = trim(text);
        return when(trimmed.rlike("^-?[0-9]{1,15}$"), timestamp_millis(trimmed.cast(DataTypes.LongType)))
                .otherwise(coalesce(trimmed.try_cast(DataTypes.TimestampType),
                        try_to_timestamp(trimmed, lit("yyyy-MM-dd'T'HH:mmXXX"))));
    }

    /** Null for null, empty or blank text; the text otherwise. */
    public static Column blankToNull(Column text) {
        return when(trim(text).notEqual(""), text);
    }
}
