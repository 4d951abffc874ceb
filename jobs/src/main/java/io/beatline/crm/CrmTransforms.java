package io.beatline.crm;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_element_at;
import static org.apache.spark.sql.functions.when;

import io.beatline.config.CustomFieldType;
import io.beatline.core.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The pure steps of CRM ingestion: type each column of a record (its text in {@code values}),
 * give the record the first reason it cannot be kept, and mark all but the last copy of a
 * duplicated key as {@code duplicate_key}.
 */
public final class CrmTransforms {

    private CrmTransforms() {
    }

    /**
     * Records ({@code snapshot_date, source_file, record_number, raw, values, problem}) to typed
     * standard columns, the custom columns {@code customTypes} names (typed as configured), and
     * {@code reason}: the read problem, else {@code missing_<column>} for a required column
     * without a value, else {@code bad_<kind>_<column>} for a value that does not parse, else
     * {@code negative_<column>} for a negative amount or count (licenses' amount and seats).
     */
    public static Dataset<Row> type(Dataset<Row> records, CrmEntity entity, Map<String, CustomFieldType> customTypes) {
        List<Column> selected = new ArrayList<>(List.of(col("snapshot_date"), col("source_file"), col("record_number"),
                col("raw")));
        List<Column> reasons = new ArrayList<>();
        reasons.add(col("problem"));
        for (CrmColumn column : entity.columns) {
            Column text = text(column.name());
            Column typed = typed(text, column.kind());
            selected.add(typed.as(column.name()));
            if (column.required()) {
                reasons.add(when(text.isNull(), lit("missing_" + column.name())));
            }
            Column parsed = typed(text, signed(column.kind()));
            reasons.add(when(text.isNotNull().and(parsed.isNull()), lit("bad_" + problemOf(column.kind()) + "_" + column.name())));
            if (signed(column.kind()) != column.kind()) {
                reasons.add(when(parsed.isNotNull().and(typed.isNull()), lit("negative_" + column.name())));
            }
        }
        for (Map.Entry<String, CustomFieldType> custom : customTypes.entrySet()) {
            Column text = text(custom.getKey());
            Column typed = typed(text, CrmColumn.Kind.of(custom.getValue()));
            selected.add(typed.as(custom.getKey()));
            reasons.add(when(text.isNotNull().and(typed.isNull()),
                    lit("bad_" + problemOf(CrmColumn.Kind.of(custom.getValue())) + "_" + custom.getKey())));
        }
        selected.add(coalesce(reasons.toArray(Column[]::new)).as("reason"));
        return records.select(selected.toArray(Column[]::new));
    }

    /**
     * Of the valid records that share a key within one snapshot, keeps the last (by file, then
     * position in the file) and gives the others the reason {@code duplicate_key}.
     */
    public static Dataset<Row> markDuplicateKeys(Dataset<Row> typed, CrmEntity entity) {
        List<Column> partition = new ArrayList<>();
        partition.add(col("snapshot_date"));
        entity.key.forEach(name -> partition.add(col(name)));
        Column lastFirst = row_number().over(Window.partitionBy(partition.toArray(Column[]::new))
                .orderBy(col("source_file").desc(), col("record_number").desc()));
        Dataset<Row> valid = typed.filter(col("reason").isNull())
                .withColumn("reason", when(lastFirst.gt(1), lit("duplicate_key")));
        return valid.unionByName(typed.filter(col("reason").isNotNull()));
    }

    private static Column text(String column) {
        return Columns.blankToNull(trim(try_element_at(col("values"), lit(column))));
    }

    /** The number, or null for NaN and the infinities (which a cast accepts, and every sum would carry). */
    private static Column finite(Column number) {
        return when(not(isnan(number)).and(abs(number).lt(lit(Double.POSITIVE_INFINITY))), number);
    }

    private static Column typed(Column text, CrmColumn.Kind kind) {
        return switch (kind) {
            case STRING -> text;
            case LOWER -> lower(text);
            case LONG -> wholeNumber(text);
            case DOUBLE -> finite(text.try_cast(DataTypes.DoubleType));
            case BOOLEAN -> when(lower(text).isin("true", "yes", "y", "1"), lit(true))
                    .when(lower(text).isin("false", "no", "n", "0"), lit(false));
            case DATE -> text.try_cast(DataTypes.DateType);
            case TIMESTAMP -> Columns.parseTimestamp(text);
            case TAGS -> when(text.isNotNull(), array_compact(filter(transform(split(text, ";"), tag -> trim(tag)),
                    tag -> tag.notEqual(""))));
            case PERIOD -> {
                Column period = coalesce(lower(text), lit("annual"));
                yield when(period.isin("monthly", "annual"), period);
            }
            case SCORE -> {
                Column score = wholeNumber(text);
                yield when(score.between(0, 10), score);
            }
            case ENTITY_TYPE -> when(lower(text).isin("account", "user"), lower(text));
            case INVOICE_STATUS -> when(lower(text).isin("open", "paid", "void"), lower(text));
            case AMOUNT -> when(typed(text, CrmColumn.Kind.DOUBLE).geq(0), typed(text, CrmColumn.Kind.DOUBLE));
            case COUNT -> when(wholeNumber(text).geq(0), wholeNumber(text));
        };
    }

    /** The kind a value is parsed as before its sign is checked: DOUBLE for AMOUNT, LONG for COUNT. */
    private static CrmColumn.Kind signed(CrmColumn.Kind kind) {
        return switch (kind) {
            case AMOUNT -> CrmColumn.Kind.DOUBLE;
            case COUNT -> CrmColumn.Kind.LONG;
            default -> kind;
        };
    }

    /** 5 and 5.0 are the whole number 5; 5.5 and "five" are not numbers of this kind. */
    private static Column wholeNumber(Column text) {
        Column number = text.try_cast(DataTypes.DoubleType);
        return when(number.equalTo(floor(number)), number.cast(DataTypes.LongType));
    }

    private static String problemOf(CrmColumn.Kind kind) {
        return switch (kind) {
            case LONG, DOUBLE, AMOUNT, COUNT -> "number";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BOOLEAN -> "boolean";
            default -> "value";
        };
    }
}
