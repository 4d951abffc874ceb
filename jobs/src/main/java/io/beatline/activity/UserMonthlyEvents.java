package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/user_monthly_events}: one row per user, calendar month and event name, rolled up
 * from {@code user_daily_activity}. A calculated metric's all-time {@code sum}, {@code count},
 * {@code users} and {@code days_since} for D read these rows for the months before its daily
 * window instead of every day of history (docs/metrics.md, "Cost"), so the metrics stage costs
 * the same at 30 and at 180 days of history.
 */
public final class UserMonthlyEvents {

    public static final TableSpec TABLE = new TableSpec("gold", "user_monthly_events",
            new StructType()
                    .add("user_id", StringType, false,
                            "the user")
                    .add("month", DateType, false,
                            "first day of the month")
                    .add("event", StringType, false,
                            "the event name")
                    .add("event_count", LongType, false,
                            "counted events of that name in the month")
                    .add("weighted_count", DoubleType, false,
                            "their total weight")
                    .add("active_days", LongType, false,
                            "days of the month with such an event")
                    .add("first_date", DateType, false,
                            "first day of the month with such an event")
                    .add("last_date", DateType, false,
                            "last day of the month with such an event"),
            List.of("user_id", "month", "event"),
            List.of("month"),
            "one row per user, month (its first day) and event name");

    private UserMonthlyEvents() {
    }

    /** Daily activity rows to monthly rows per event. */
    public static Dataset<Row> fromDaily(Dataset<Row> daily) {
        return Columns.require(daily, "daily activity", "user_id", "activity_date", "event", "event_count", "weighted_count")
                .groupBy(col("user_id"), trunc(col("activity_date"), "month").as("month"), col("event"))
                .agg(
                        sum("event_count").as("event_count"),
                        sum("weighted_count").as("weighted_count"),
                        count_distinct(col("activity_date")).as("active_days"),
                        min("activity_date").as("first_date"),
                        max("activity_date").as("last_date"));
    }

    /**
     * The months' rows as daily activity rows, one per user, month and event, dated on the
     * month's last day with the event ({@code user_id, activity_date, event, event_count,
     * weighted_count}): what an all-time sum, count, users or days_since over daily activity
     * gives, without the days.
     */
    public static Dataset<Row> asDaily(Dataset<Row> monthly) {
        return Columns.require(monthly, "monthly events", "user_id", "event", "event_count", "weighted_count", "last_date")
                .select(col("user_id"), col("last_date").as("activity_date"), col("event"), col("event_count"),
                        col("weighted_count"));
    }
}
