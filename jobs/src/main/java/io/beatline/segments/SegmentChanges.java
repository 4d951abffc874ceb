package io.beatline.segments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.ColumnRule;
import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/segment_changes}: who entered or exited a segment on an as-of date, against the
 * latest earlier membership snapshot; partitioned by as-of date.
 */
public final class SegmentChanges {

    public static final String ENTERED = "entered";
    public static final String EXITED = "exited";

    public static final TableSpec TABLE = new TableSpec("gold", "segment_changes",
            SegmentColumns.member(new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date"))
                    .add("change", StringType, false,
                            "`entered` (a member on D, not on the earlier date) or `exited` (the reverse)"),
            List.of("as_of_date", "segment_id", "entity_type", "entity_id"),
            List.of("as_of_date"),
            "one row per segment and entity that entered or exited it on the as-of date")
            .withRules(ColumnRule.oneOf("change", List.of(ENTERED, EXITED)), ColumnRule.oneOf("entity_type", List.of("user", "account")));

    private SegmentChanges() {
    }

    /**
     * The changes on {@code asOf}: members of {@code current} not in {@code previous} entered,
     * members of {@code previous} not in {@code current} exited. Both: segment_id, entity_type, entity_id.
     */
    public static Dataset<Row> between(Dataset<Row> previous, Dataset<Row> current, LocalDate asOf) {
        Columns.require(previous, "the previous members", "segment_id", "entity_type", "entity_id");
        Columns.require(current, "the current members", "segment_id", "entity_type", "entity_id");
        Dataset<Row> before = previous.select(col("segment_id").as("b_segment"), col("entity_type").as("b_type"),
                col("entity_id").as("b_entity"));
        Dataset<Row> now = current.select(col("segment_id").as("n_segment"), col("entity_type").as("n_type"),
                col("entity_id").as("n_entity"));
        return before.join(now, col("b_segment").equalTo(col("n_segment")).and(col("b_type").equalTo(col("n_type")))
                        .and(col("b_entity").equalTo(col("n_entity"))), "full_outer")
                .filter(col("b_entity").isNull().or(col("n_entity").isNull()))
                .select(lit(Date.valueOf(asOf)).as("as_of_date"),
                        coalesce(col("n_segment"), col("b_segment")).as("segment_id"),
                        coalesce(col("n_type"), col("b_type")).as("entity_type"),
                        coalesce(col("n_entity"), col("b_entity")).as("entity_id"),
                        when(col("b_entity").isNull(), lit(ENTERED)).otherwise(lit(EXITED)).as("change"));
    }
}
