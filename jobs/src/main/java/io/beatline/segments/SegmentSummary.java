package io.beatline.segments;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;

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
 * {@code gold/segment_summary}: one row per configured segment and as-of date: members, the
 * base (every entity of the segment's type that day), the share, who entered and exited, and
 * for user segments the members' average beats and active days. It is written last in a run,
 * so its dates are the dates whose segment tables are complete.
 */
public final class SegmentSummary {

    public static final TableSpec TABLE = new TableSpec("gold", "segment_summary",
            SegmentColumns.segment(new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date"))
                    .add("members", LongType, false,
                            "members on D")
                    .add("base", LongType, false,
                            "entities of that type evaluated on D: users in user_engagement, accounts in account_kpis")
                    .add("share_pct", DoubleType, true,
                            "100 * members / base; empty when the base is 0")
                    .add("entered", LongType, false,
                            "rows of segment_changes for D that entered")
                    .add("exited", LongType, false,
                            "rows of segment_changes for D that exited")
                    .add("avg_beats", DoubleType, true,
                            "user segments: the members' average beats; empty for account segments or no members")
                    .add("avg_active_days_30d", DoubleType, true,
                            "user segments: the members' average active_days_30d"),
            List.of("as_of_date", "segment_id"),
            List.of("as_of_date"),
            "one row per configured segment and as-of date")
            .withRules(ColumnRule.atLeast("members", 0), ColumnRule.atLeast("base", 0),
                    ColumnRule.between("share_pct", 0, 100), ColumnRule.atLeast("entered", 0), ColumnRule.atLeast("exited", 0),
                    ColumnRule.between("avg_active_days_30d", 0, 30), ColumnRule.oneOf("entity_type", List.of("user", "account")));

    private SegmentSummary() {
    }

    /**
     * {@code segments}: segment_id, entity_type of each configured segment; {@code members}: the
     * membership of {@code asOf}; {@code users}: the users of asOf with user_id, beats and
     * active_days_30d (their profiles); {@code bases}: entity_type, base; {@code changes}: the changes of asOf.
     */
    public static Dataset<Row> summarize(Dataset<Row> segments, Dataset<Row> members, Dataset<Row> users,
                                         Dataset<Row> bases, Dataset<Row> changes, LocalDate asOf) {
        Columns.require(segments, "the segments", "segment_id", "entity_type");
        Columns.require(members, "the members", "segment_id", "entity_type", "entity_id");
        Columns.require(users, "the users", "user_id", "beats", "active_days_30d");
        Columns.require(bases, "the bases", "entity_type", "base");
        Dataset<Row> userFigures = users.select(col("user_id"), col("beats"), col("active_days_30d"));
        Dataset<Row> stats = members
                .join(userFigures, col("entity_type").equalTo(lit("user")).and(col("entity_id").equalTo(col("user_id"))), "left")
                .groupBy(col("segment_id").as("s_segment"))
                .agg(count(lit(1)).as("members"), avg("beats").as("avg_beats"), avg("active_days_30d").as("avg_active_days_30d"));
        Dataset<Row> summary = segments
                .join(stats, col("segment_id").equalTo(col("s_segment")), "left")
                .join(bases.withColumnRenamed("entity_type", "b_type"), col("entity_type").equalTo(col("b_type")), "left")
                .select(lit(Date.valueOf(asOf)).as("as_of_date"), col("segment_id"), col("entity_type"),
                        coalesce(col("members"), lit(0L)).as("members"),
                        coalesce(col("base"), lit(0L)).as("base"),
                        col("avg_beats"), col("avg_active_days_30d"));
        summary = summary.withColumn("share_pct",
                when(col("base").gt(0), col("members").multiply(100.0).divide(col("base"))));
        return withChanges(summary, changes);
    }

    /** Sets entered and exited from {@code changes} (segment_id, change), 0 for a segment without any. */
    public static Dataset<Row> withChanges(Dataset<Row> summary, Dataset<Row> changes) {
        Columns.require(changes, "the changes", "segment_id", "change");
        Dataset<Row> counts = changes.groupBy(col("segment_id").as("c_segment")).agg(
                sum(when(col("change").equalTo(SegmentChanges.ENTERED), 1L).otherwise(0L)).as("c_entered"),
                sum(when(col("change").equalTo(SegmentChanges.EXITED), 1L).otherwise(0L)).as("c_exited"));
        return summary.drop("entered", "exited")
                .join(counts, col("segment_id").equalTo(col("c_segment")), "left")
                .withColumn("entered", coalesce(col("c_entered"), lit(0L)))
                .withColumn("exited", coalesce(col("c_exited"), lit(0L)))
                .drop("c_segment", "c_entered", "c_exited");
    }
}
