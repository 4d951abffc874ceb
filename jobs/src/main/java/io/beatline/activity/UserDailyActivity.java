package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.ColumnRule;
import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/user_daily_activity}: one row per user, day and event name, over counted events
 * of users, an anonymous id's events counted for the user it is linked to (silver/identities). The compact daily aggregate every later stage reads instead of events.
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
            "one row per user, activity date and event")
            .withRules(ColumnRule.atLeast("event_count", 0));

    private UserDailyActivity() {
    }

    /**
     * Actor rows ({@link ActorDailyActivity}) stitched: a user's own rows, plus the rows of every
     * anonymous id {@code identities} links to the user, combined per user, date and event
     * (counts added, the latest account and event kept). An anonymous id not linked is nobody's.
     */
    public static Dataset<Row> stitch(Dataset<Row> actors, Dataset<Row> identities) {
        Columns.require(actors, "actor daily activity", "actor_type", "actor_id", "activity_date", "event", "account_id",
                "account_at", "event_count", "weighted_count", "last_event_at");
        actors = actors.select("actor_type", "actor_id", "activity_date", "event", "account_id", "account_at", "event_count",
                "weighted_count", "last_event_at"); // the landings of a day's rows are added up here
        Dataset<Row> own = actors.filter(col("actor_type").equalTo(ActorDailyActivity.USER))
                .withColumnRenamed("actor_id", "user_id");
        Dataset<Row> links = identities.select(col("anonymous_id"), col("user_id"));
        Dataset<Row> linked = actors.filter(col("actor_type").equalTo(ActorDailyActivity.ANONYMOUS))
                .join(links, col("actor_id").equalTo(col("anonymous_id")))
                .drop("actor_id", "anonymous_id");
        return own.drop("actor_type").unionByName(linked.drop("actor_type"))
                .groupBy(col("user_id"), col("activity_date"), col("event"))
                .agg(
                        max_by(col("account_id"), col("account_at")).as("account_id"),
                        sum("event_count").as("event_count"),
                        sum("weighted_count").as("weighted_count"),
                        max("last_event_at").as("last_event_at"));
    }
}
