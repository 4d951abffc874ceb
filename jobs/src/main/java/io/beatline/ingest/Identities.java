package io.beatline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;

/**
 * Identity stitching (SPEC 2.1): {@code silver/identities}, which user each anonymous id belongs
 * to, and {@code silver/identity_conflicts}, the other users an anonymous id was also linked to.
 * An accepted event that carries both a user_id and an anonymous_id is a link. An anonymous id
 * belongs to the user of its first link: the earliest by landing date, then ts, then event_id
 * (within one landing that is the spec's "earliest ts, then event_id"; a link that lands later
 * never moves an identity made before, so what was attributed and synced stays put). Every
 * other user it is linked to is a conflict, recorded once per user with its first such link,
 * and changes nothing.
 */
public final class Identities {

    public static final TableSpec TABLE = new TableSpec("silver", "identities",
            new StructType()
                    .add("anonymous_id", StringType, false,
                            "the device or browser id")
                    .add("user_id", StringType, false,
                            "the user it belongs to: every event of this anonymous id, before and after the link, counts for this user")
                    .add("linked_at", TimestampType, false,
                            "`ts` of the first link (an event carrying both ids)")
                    .add("link_event_id", StringType, false,
                            "the event_id of that link")
                    .add("link_landing_date", DateType, false,
                            "the landing date the link arrived in"),
            List.of("anonymous_id"),
            List.of(),
            "one row per anonymous id linked to a user");

    public static final TableSpec CONFLICTS = new TableSpec("silver", "identity_conflicts",
            new StructType()
                    .add("anonymous_id", StringType, false,
                            "the device or browser id")
                    .add("user_id", StringType, false,
                            "a user it was also linked to, and not taken (it belongs to the user in silver_identities)")
                    .add("event_id", StringType, false,
                            "the first event linking it to this user")
                    .add("ts", TimestampType, false,
                            "when that event happened")
                    .add("landing_date", DateType, false,
                            "the landing date that event arrived in"),
            List.of("anonymous_id", "user_id"),
            List.of(),
            "one row per anonymous id and user it was linked to but does not belong to");

    private Identities() {
    }

    /** New identity rows and new conflict rows, in the tables' columns. */
    public record Update(Dataset<Row> identities, Dataset<Row> conflicts) {
    }

    /**
     * silver/events rows counted for their users: an event with a user_id is that user's, an
     * anonymous one is the user's its anonymous id is linked to ({@code identities}), and an
     * anonymous event of an id never linked is dropped (it is nobody's activity).
     */
    public static Dataset<Row> attribute(Dataset<Row> events, Dataset<Row> identities) {
        Dataset<Row> own = events.filter(col("user_id").isNotNull());
        Dataset<Row> links = identities.select(col("anonymous_id").as("__linked_id"), col("user_id").as("__linked_user"));
        Dataset<Row> linked = events.filter(col("user_id").isNull())
                .join(links, col("anonymous_id").equalTo(col("__linked_id")))
                .withColumn("user_id", col("__linked_user"))
                .drop("__linked_id", "__linked_user");
        return own.unionByName(linked);
    }

    /**
     * The links among accepted events ({@code event_id, user_id, anonymous_id, ts,
     * landing_date}, as silver/events has them): the events that carry both ids.
     */
    public static Dataset<Row> links(Dataset<Row> events) {
        return Columns.require(events, "accepted events", "event_id", "user_id", "anonymous_id", "ts", "landing_date")
                .filter(col("user_id").isNotNull().and(col("anonymous_id").isNotNull()))
                .select("anonymous_id", "user_id", "ts", "event_id", "landing_date");
    }

    /**
     * What {@code links} (of the landings being ingested, see {@link #links}) add to the
     * identities and conflicts made by earlier landings: an anonymous id not linked before gets
     * the user of its first link; each other user an anonymous id is linked to, new or old
     * identity alike, is a conflict unless recorded before.
     */
    public static Update update(Dataset<Row> existing, Dataset<Row> existingConflicts, Dataset<Row> links) {
        Column firstLink = row_number().over(Window.partitionBy("anonymous_id").orderBy("landing_date", "ts", "event_id"));
        Dataset<Row> known = existing.select(col("anonymous_id").as("known_id"));
        Dataset<Row> added = links.join(known, col("anonymous_id").equalTo(col("known_id")), "left_anti")
                .withColumn("rank", firstLink).filter(col("rank").equalTo(1))
                .select(col("anonymous_id"), col("user_id"), col("ts").as("linked_at"), col("event_id").as("link_event_id"),
                        col("landing_date").as("link_landing_date"));

        Dataset<Row> owners = existing.select("anonymous_id", "user_id").unionByName(added.select("anonymous_id", "user_id"))
                .select(col("anonymous_id").as("owned_id"), col("user_id").as("owner"));
        Dataset<Row> recorded = existingConflicts.select(col("anonymous_id").as("recorded_id"), col("user_id").as("recorded_user"));
        Column firstPerUser = row_number().over(Window.partitionBy("anonymous_id", "user_id").orderBy("landing_date", "ts", "event_id"));
        Dataset<Row> conflicts = links.join(owners, col("anonymous_id").equalTo(col("owned_id")))
                .filter(col("user_id").notEqual(col("owner")))
                .join(recorded, col("anonymous_id").equalTo(col("recorded_id")).and(col("user_id").equalTo(col("recorded_user"))),
                        "left_anti")
                .withColumn("rank", firstPerUser).filter(col("rank").equalTo(1))
                .select("anonymous_id", "user_id", "event_id", "ts", "landing_date");
        return new Update(added, conflicts);
    }
}
