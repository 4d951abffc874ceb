package io.beatline.segments;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;

import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/segment_history}: one row per membership interval. An interval starts on the
 * snapshot an entity entered (valid_from) and ends on the first later snapshot it is absent from
 * (valid_to, excluded); valid_to is null and is_current true while it is still a member on the
 * latest snapshot. Intervals follow the membership snapshots, not the order runs happened in.
 */
public final class SegmentHistory {

    public static final TableSpec TABLE = new TableSpec("gold", "segment_history",
            SegmentColumns.member(new StructType())
                    .add("valid_from", DateType, false,
                            "the first date of the interval (the date it entered)")
                    .add("valid_to", DateType, true,
                            "the first date it was no longer a member (excluded); empty while it still is")
                    .add("is_current", BooleanType, false,
                            "true while valid_to is empty: a member on the latest date computed"),
            List.of("segment_id", "entity_type", "entity_id", "valid_from"),
            List.of(),
            "one row per segment, entity and membership interval");

    private SegmentHistory() {
    }

    /**
     * The intervals over the snapshot dates {@code dates} (ascending) from their membership rows
     * {@code snapshots} (as_of_date, segment_id, entity_type, entity_id). When {@code dates}
     * starts at an earlier snapshot P that is not the first ever, {@code spanning} holds the
     * existing intervals that include P: an interval still open on P keeps its valid_from.
     */
    public static Dataset<Row> intervals(Dataset<Row> snapshots, List<LocalDate> dates, Dataset<Row> spanning) {
        Columns.require(snapshots, "the membership snapshots", "as_of_date", "segment_id", "entity_type", "entity_id");
        Columns.require(spanning, "the spanning intervals", "segment_id", "entity_type", "entity_id", "valid_from");
        List<Row> indexRows = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
            indexRows.add(RowFactory.create(Date.valueOf(dates.get(i)), i));
        }
        Dataset<Row> index = snapshots.sparkSession().createDataFrame(indexRows,
                new StructType().add("snapshot_date", DateType, false).add("snapshot_index", IntegerType, false));
        var perEntity = Window.partitionBy("segment_id", "entity_type", "entity_id").orderBy("snapshot_index");
        Dataset<Row> runs = snapshots
                .join(broadcast(index), col("as_of_date").equalTo(col("snapshot_date")))
                // consecutive snapshots of one entity share index - row_number: one group per unbroken run
                .withColumn("run", col("snapshot_index").minus(row_number().over(perEntity)))
                .groupBy("segment_id", "entity_type", "entity_id", "run")
                .agg(min("snapshot_index").as("first_index"), max("snapshot_index").as("last_index"));
        Dataset<Row> starts = index.select(col("snapshot_index").as("start_index"), col("snapshot_date").as("start_date"));
        Dataset<Row> ends = index.select(col("snapshot_index").as("end_index"), col("snapshot_date").as("end_date"));
        Dataset<Row> open = spanning.select(col("segment_id").as("o_segment"), col("entity_type").as("o_type"),
                col("entity_id").as("o_entity"), col("valid_from").as("o_from"));
        return runs
                .join(broadcast(starts), col("first_index").equalTo(col("start_index")))
                .join(broadcast(ends), col("last_index").plus(1).equalTo(col("end_index")), "left")
                .join(open, col("first_index").equalTo(0).and(col("segment_id").equalTo(col("o_segment")))
                        .and(col("entity_type").equalTo(col("o_type"))).and(col("entity_id").equalTo(col("o_entity"))), "left")
                .select(col("segment_id"), col("entity_type"), col("entity_id"),
                        when(col("o_from").isNotNull(), col("o_from")).otherwise(col("start_date")).as("valid_from"),
                        col("end_date").as("valid_to"),
                        col("end_date").isNull().as("is_current"));
    }
}
