package io.beatline.activity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
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
 * {@code gold/actor_daily_activity}: counted events per day and event name of whoever the events
 * name, before identity stitching: a user (the event carries a user_id) or an anonymous id (it
 * carries only an anonymous_id). {@code user_daily_activity} is this table with each linked
 * anonymous id's rows counted for its user, so a link that arrives days after the anonymous
 * events rewrites the stitched rows of those dates from here, without reading silver events.
 * The rows are kept per landing date: a day's batch adds its own rows (late events included)
 * without reading the events that landed before it, and a landing ingested again replaces its rows.
 */
public final class ActorDailyActivity {

    public static final String USER = "user";
    public static final String ANONYMOUS = "anonymous";

    public static final TableSpec TABLE = new TableSpec("gold", "actor_daily_activity",
            new StructType()
                    .add("actor_type", StringType, false,
                            "`user` (the events carry a user_id) or `anonymous` (they carry only an anonymous_id)")
                    .add("actor_id", StringType, false,
                            "the user_id or the anonymous_id")
                    .add("activity_date", DateType, false,
                            "the day, in the configured time zone")
                    .add("event", StringType, false,
                            "the event name")
                    .add("landing_date", DateType, false,
                            "the landing date (dt= folder) the events were delivered in: a late event's row is its landing's own")
                    .add("account_id", StringType, true,
                            "the account named by the latest of these events that names one")
                    .add("account_at", TimestampType, true,
                            "when that event happened")
                    .add("event_count", LongType, false,
                            "how many such events")
                    .add("weighted_count", DoubleType, false,
                            "the sum of their weights")
                    .add("last_event_at", TimestampType, false,
                            "when the latest of them happened"),
            List.of("actor_type", "actor_id", "activity_date", "event", "landing_date"),
            List.of("activity_date"),
            "one row per actor (user or anonymous id), activity date, event and landing date");

    private ActorDailyActivity() {
    }

    /**
     * silver/events rows to actor rows: counted events grouped by actor, date, event and landing
     * date; an event with a user_id is its user's, one without is its anonymous id's.
     */
    public static Dataset<Row> fromEvents(Dataset<Row> events) {
        return Columns.require(events, "silver events", "counted", "user_id", "anonymous_id", "event_date", "event",
                        "landing_date", "account_id", "ts", "weight")
                .filter(col("counted"))
                .withColumn("actor_type", when(col("user_id").isNotNull(), lit(USER)).otherwise(lit(ANONYMOUS)))
                .withColumn("actor_id", coalesce(col("user_id"), col("anonymous_id")))
                .groupBy(col("actor_type"), col("actor_id"), col("event_date").as("activity_date"), col("event"),
                        col("landing_date"))
                .agg(
                        max_by(col("account_id"), when(col("account_id").isNotNull(), col("ts"))).as("account_id"),
                        max(when(col("account_id").isNotNull(), col("ts"))).as("account_at"),
                        count("*").as("event_count"),
                        sum("weight").as("weighted_count"),
                        max("ts").as("last_event_at"));
    }
}
