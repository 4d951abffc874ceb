package io.beatline.core;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Column expressions shared by the stages that read raw text, and the check of a transform's
 * required input columns.
 */
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

    /**
     * Checks, before a transform builds on {@code rows}, that they have {@code columns}: a
     * missing one is a programming error named here (the input and every missing column), not an
     * analysis error deep in a plan. Returns {@code rows}.
     */
    public static Dataset<Row> require(Dataset<Row> rows, String input, String... columns) {
        List<String> present = Arrays.asList(rows.columns());
        List<String> missing = Arrays.stream(columns).filter(column -> !present.contains(column)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(input + " lacks the columns " + missing + " (it has " + present + ")");
        }
        return rows;
    }

    /**
     * Null for null, empty or blank text (any white space: tabs, line breaks, no-break and other
     * Unicode spaces, zero-width spaces); the text otherwise.
     */
    public static Column blankToNull(Column text) {
        return when(not(text.rlike("^[\\s\\p{Z}\\x{200B}\\x{FEFF}]*$")), text);
    }
}
