package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/user_daily_activity}: one row per user, day and event name, over counted events
 * of identified users. The compact daily aggregate every later stage reads instead of events.
 */
public final class UserDailyActivity {

    public static final TableSpec TABLE = new TableSpec("gold", "user_daily_activity",
            new StructType()
                    .add("user_id", StringType, false,
                            "the user")
                    .add("account_id", StringType, true,
                            "the account named by the latest of the user's events of that day and name that names one")
                    .add("activity_date", DateType, false,
                            "the day, in the configured time zone")
                    .add("event", StringType, false,
                            "the event name")
                    .add("event_count", LongType, false,
                            "how many such events")
                    .add("weighted_count", DoubleType, false,
                            "the sum of their weights")
                    .add("last_event_at", TimestampType, false,
                            "when the latest of them happened"),
            List.of("user_id", "activity_date", "event"),
            List.of("activity_date"),
            "one row per user, activity date and event");

    private UserDailyActivity() {
    }

    /**
     * silver/events rows to daily activity: counted events with a user id, grouped by user, date
     * and event; {@code account_id} is that of the latest of those events that names one.
     */
    public static Dataset<Row> fromEvents(Dataset<Row> events) {
        return Columns.require(events, "silver events", "counted", "user_id", "event_date", "event", "account_id", "ts", "weight")
                .filter(col("counted").and(col("user_id").isNotNull()))
                .groupBy(col("user_id"), col("event_date").as("activity_date"), col("event"))
                .agg(
                        max_by(col("account_id"), when(col("account_id").isNotNull(), col("ts"))).as("account_id"),
                        count("*").as("event_count"),
                        sum("weight").as("weighted_count"),
                        max("ts").as("last_event_at"));
    }
}
