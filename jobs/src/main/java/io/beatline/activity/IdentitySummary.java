package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.ColumnRule;
import io.beatline.core.SqlPredicates;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import io.beatline.ingest.Identities;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code meta/identity_summary} (SPEC 3.7): per run date D, what identity stitching did: the
 * links made and held, the anonymous events of D counted for a linked user, the anonymous ids of
 * D never linked and their events (counted for nobody), and the conflicts. Written by
 * {@code run}, one row per date (a rerun puts its row in place of the last).
 */
public final class IdentitySummary {

    public static final TableSpec TABLE = new TableSpec("meta", "identity_summary",
            new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the run date")
                    .add("links_made", LongType, false,
                            "anonymous ids linked to a user by the events that landed on D")
                    .add("linked_ids", LongType, false,
                            "anonymous ids linked to a user by D, in all (silver_identities)")
                    .add("events_attributed", LongType, false,
                            "counted anonymous events on D whose id is linked: they count for its user")
                    .add("unlinked_ids", LongType, false,
                            "anonymous ids with counted events on D and no link")
                    .add("unlinked_events", LongType, false,
                            "their counted events on D, which count for nobody until a link arrives")
                    .add("new_conflicts", LongType, false,
                            "anonymous ids linked to a second user by the events that landed on D (kept with their first user)")
                    .add("conflicts", LongType, false,
                            "such conflicts by D, in all (silver_identity_conflicts)")
                    .add("run_id", StringType, false,
                            "the run that wrote the row"),
            List.of("as_of_date"),
            List.of(),
            "one row per run date")
            .withRules(ColumnRule.atLeast("links_made", 0), ColumnRule.atLeast("linked_ids", 0),
                    ColumnRule.atLeast("events_attributed", 0), ColumnRule.atLeast("unlinked_ids", 0),
                    ColumnRule.atLeast("unlinked_events", 0), ColumnRule.atLeast("new_conflicts", 0),
                    ColumnRule.atLeast("conflicts", 0));

    private IdentitySummary() {
    }

    /** D's row, from silver_identities, silver_identity_conflicts and D's anonymous rows of actor_daily_activity. */
    public static Dataset<Row> compute(TableStore store, LocalDate asOf, String runId) {
        Column day = lit(Date.valueOf(asOf));
        Dataset<Row> identities = store.read(Identities.TABLE).filter(col("link_landing_date").leq(day));
        Row links = identities
                .agg(sum(when(col("link_landing_date").equalTo(day), 1L).otherwise(0L)), count(lit(1)))
                .first();
        Row conflicts = store.read(Identities.CONFLICTS).filter(col("landing_date").leq(day))
                .agg(sum(when(col("landing_date").equalTo(day), 1L).otherwise(0L)), count(lit(1)))
                .first();
        Dataset<Row> linked = identities.select(col("anonymous_id"), lit(true).as("linked"));
        Row anonymous = store.read(ActorDailyActivity.TABLE)
                .filter(col("actor_type").equalTo(ActorDailyActivity.ANONYMOUS).and(col("activity_date").equalTo(day)))
                .join(linked, col("actor_id").equalTo(col("anonymous_id")), "left")
                .agg(sum(when(col("linked").isNotNull(), col("event_count")).otherwise(0L)),
                        count_distinct(when(col("linked").isNull(), col("actor_id"))),
                        sum(when(col("linked").isNull(), col("event_count")).otherwise(0L)))
                .first();
        Row row = RowFactory.create(Date.valueOf(asOf), longOf(links, 0), longOf(links, 1), longOf(anonymous, 0),
                longOf(anonymous, 1), longOf(anonymous, 2), longOf(conflicts, 0), longOf(conflicts, 1), runId);
        return store.spark().createDataFrame(List.of(row), TABLE.schema());
    }

    /** Computes D's row and puts it in place of D's earlier one, in one commit. */
    public static String write(TableStore store, LocalDate asOf, String runId) {
        Dataset<Row> summary = compute(store, asOf, runId);
        Row row = summary.first();
        store.replace(TABLE, summary, SqlPredicates.equalTo("as_of_date", asOf));
        return "identities: " + row.getLong(1) + " links made (" + row.getLong(2) + " in all), " + row.getLong(3)
                + " anonymous events counted for their users, " + row.getLong(5) + " events of " + row.getLong(4)
                + " unlinked ids counted for nobody, " + row.getLong(6) + " new conflicts (" + row.getLong(7) + " in all)";
    }

    private static long longOf(Row row, int i) {
        return row.isNullAt(i) ? 0 : row.getLong(i);
    }
}
