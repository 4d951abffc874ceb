package io.beatline.activity;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/user_monthly_activity}: one row per user and calendar month, rolled up from
 * {@code user_daily_activity}. Lifetime figures (experience, first and last seen, events ever
 * done, latest account) for a date D are the closed months before D's month plus D's month's
 * daily rows up to D, so a day's engagement reads months, not every day of history.
 */
public final class UserMonthlyActivity {

    public static final TableSpec TABLE = new TableSpec("gold", "user_monthly_activity",
            new StructType()
                    .add("user_id", StringType, false,
                            "the user")
                    .add("month", DateType, false,
                            "first day of the month")
                    .add("event_count", LongType, false,
                            "counted events in the month")
                    .add("weighted_count", DoubleType, false,
                            "their total weight")
                    .add("active_days", LongType, false,
                            "days with a counted event")
                    .add("first_date", DateType, false,
                            "first day with a counted event in the month")
                    .add("last_date", DateType, false,
                            "last day with a counted event in the month")
                    .add("events", createArrayType(StringType), false,
                            "the distinct event names done in the month, sorted")
                    .add("last_account_id", StringType, true,
                            "the account of the month's latest event that names one")
                    .add("last_account_at", TimestampType, true,
                            "when that event happened")
                    .add("accounts", createArrayType(StringType), false,
                            "every account the month's activity names (for \"accounts seen in events\")"),
            List.of("user_id", "month"),
            List.of("month"),
            "one row per user and month (month = its first day)");

    private UserMonthlyActivity() {
    }

    /** Daily activity rows to monthly rows. */
    public static Dataset<Row> fromDaily(Dataset<Row> daily) {
        return Columns.require(daily, "daily activity", "user_id", "activity_date", "event", "event_count", "weighted_count",
                        "account_id", "last_event_at")
                .groupBy(col("user_id"), trunc(col("activity_date"), "month").as("month"))
                .agg(
                        sum("event_count").as("event_count"),
                        sum("weighted_count").as("weighted_count"),
                        count_distinct(col("activity_date")).as("active_days"),
                        min("activity_date").as("first_date"),
                        max("activity_date").as("last_date"),
                        array_sort(collect_set("event")).as("events"),
                        max_by(col("account_id"), when(col("account_id").isNotNull(), col("last_event_at"))).as("last_account_id"),
                        max(when(col("account_id").isNotNull(), col("last_event_at"))).as("last_account_at"),
                        array_sort(collect_set("account_id")).as("accounts"));
    }
}
