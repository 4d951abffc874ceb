package io.beatline.engagement;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_intersect;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percent_rank;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.ColumnRule;
import io.beatline.core.Columns;
import io.beatline.config.EngagementConfig;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/user_engagement}: one row per user known by the as-of date D (seen in a counted
 * event on or before D, or in the CRM's end users as of D), partitioned by as-of date: beats,
 * beat trend, experience, lifecycle, onboarding and NPS (SPEC 3.2).
 */
public final class UserEngagement {

    public static final List<String> LIFECYCLES =
            List.of("new", "returning", "resurrecting", "dormant", "inactive", "never_active");

    public static final TableSpec TABLE = new TableSpec("gold", "user_engagement",
            new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date")
                    .add("user_id", StringType, false,
                            "the user")
                    .add("account_id", StringType, true,
                            "the user's company in the CRM as of D; for a user not in the CRM, the account of their latest event that names one")
                    .add("beats", DoubleType, false,
                            "sum of the weights of the user's counted events in the last 14 days (`engagement.beats-window-days`)")
                    .add("beats_previous", DoubleType, false,
                            "the same over the 14 days before those")
                    .add("beat_trend", DoubleType, false,
                            "beats - beats_previous")
                    .add("beat_trend_pct", DoubleType, true,
                            "100 * (beats - beats_previous) / beats_previous; empty when beats_previous is 0")
                    .add("experience", DoubleType, false,
                            "sum of the weights of all the user's counted events on or before D")
                    .add("experience_percentile", DoubleType, false,
                            "where the user's experience ranks among all users of D, 0 to 100 (100 * percent_rank: ties share the lower rank; a lone user gets 0)")
                    .add("first_seen_date", DateType, true,
                            "the first day with a counted event, on or before D; empty if none")
                    .add("last_seen_date", DateType, true,
                            "the last day with a counted event, on or before D; empty if none")
                    .add("days_since_last_seen", IntegerType, true,
                            "D - last_seen_date")
                    .add("active_days_30d", IntegerType, false,
                            "days with a counted event in the last 30 days (D-29..D)")
                    .add("lifecycle", StringType, false,
                            "`new`: first seen in the current window; `returning`: active in the current and the previous window; `resurrecting`: active now, not in the previous window, but active before it; `dormant`: active in the previous window, not now; `inactive`: seen before, active in neither window; `never_active`: no counted event ever (a CRM-only user)")
                    .add("onboarding_steps_done", IntegerType, false,
                            "how many of `onboarding.events` the user has done on or before D")
                    .add("onboarding_completed", BooleanType, false,
                            "all of them done (false when `onboarding.events` is empty)")
                    .add("nps_score", IntegerType, true,
                            "the user's latest NPS response on or before D (from the CRM as of D)")
                    .add("nps_category", StringType, true,
                            "`promoter` (9-10), `passive` (7-8), `detractor` (0-6)"),
            List.of("as_of_date", "user_id"),
            List.of("as_of_date"),
            "one row per user known by the as-of date")
            .withRules(ColumnRule.oneOf("lifecycle", LIFECYCLES),
                    ColumnRule.oneOf("nps_category", List.of("promoter", "passive", "detractor")),
                    ColumnRule.between("experience_percentile", 0, 100), ColumnRule.between("active_days_30d", 0, 30),
                    ColumnRule.atLeast("days_since_last_seen", 0), ColumnRule.atLeast("onboarding_steps_done", 0),
                    ColumnRule.between("nps_score", 0, 10));

    private UserEngagement() {
    }

    /** The first activity date engagement for {@code asOf} reads daily rows from; months before D's month come rolled up. */
    public static LocalDate dailyReadFrom(LocalDate asOf, EngagementConfig config) {
        int windowDays = Math.max(2 * config.beatsWindowDays(), 30);
        LocalDate windowsStart = asOf.minusDays(windowDays - 1L);
        LocalDate monthStart = asOf.withDayOfMonth(1);
        return windowsStart.isBefore(monthStart) ? windowsStart : monthStart;
    }

    /**
     * Engagement for {@code asOf} from: daily activity rows from {@link #dailyReadFrom} to D,
     * monthly rows of the months before D's month, the CRM's end users as of D
     * ({@code user_id, company_id}) and its NPS responses as of D.
     */
    public static Dataset<Row> compute(Dataset<Row> daily, Dataset<Row> months, Dataset<Row> crmUsers,
                                       Dataset<Row> npsResponses, LocalDate asOf, EngagementConfig config) {
        Columns.require(daily, "daily activity", "user_id", "activity_date", "event", "event_count", "weighted_count",
                "account_id", "last_event_at");
        Columns.require(months, "monthly activity", "user_id", "month", "weighted_count", "first_date", "last_date", "events",
                "last_account_id", "last_account_at");
        Columns.require(crmUsers, "the CRM's end users", "user_id", "company_id");
        Columns.require(npsResponses, "the CRM's NPS responses", "user_id", "responded_at", "response_id", "score");
        int n = config.beatsWindowDays();
        Column d = lit(Date.valueOf(asOf));
        Column monthStart = lit(Date.valueOf(asOf.withDayOfMonth(1)));
        Column nowStart = lit(Date.valueOf(asOf.minusDays(n - 1L)));
        Column previousStart = lit(Date.valueOf(asOf.minusDays(2L * n - 1)));
        Column days30Start = lit(Date.valueOf(asOf.minusDays(29)));

        Column date = col("activity_date");
        Column thisMonth = date.geq(monthStart);
        Column inNow = date.geq(nowStart);
        Column inPrevious = date.geq(previousStart).and(date.lt(nowStart));
        Dataset<Row> dailyFacts = daily
                .filter(date.leq(d).and(date.geq(lit(Date.valueOf(dailyReadFrom(asOf, config))))))
                .select(
                        col("user_id"),
                        when(thisMonth, col("weighted_count")).as("experience_part"),
                        when(thisMonth, date).as("first_part"),
                        when(thisMonth, date).as("last_part"),
                        when(thisMonth, array(col("event"))).as("events_part"),
                        when(thisMonth.and(col("account_id").isNotNull()), col("account_id")).as("account_part"),
                        when(thisMonth.and(col("account_id").isNotNull()), col("last_event_at")).as("account_at"),
                        when(inNow, col("weighted_count")).as("beats_part"),
                        when(inPrevious, col("weighted_count")).as("previous_part"),
                        when(inNow, col("event_count")).as("now_count"),
                        when(inPrevious, col("event_count")).as("previous_count"),
                        when(date.geq(days30Start), date).as("day_30d"));
        Dataset<Row> monthFacts = months
                .filter(col("month").lt(monthStart))
                .select(
                        col("user_id"),
                        col("weighted_count").as("experience_part"),
                        col("first_date").as("first_part"),
                        col("last_date").as("last_part"),
                        col("events").as("events_part"),
                        col("last_account_id").as("account_part"),
                        col("last_account_at").as("account_at"),
                        lit(null).cast(DoubleType).as("beats_part"),
                        lit(null).cast(DoubleType).as("previous_part"),
                        lit(null).cast(DataTypes.LongType).as("now_count"),
                        lit(null).cast(DataTypes.LongType).as("previous_count"),
                        lit(null).cast(DateType).as("day_30d"));
        Dataset<Row> activity = dailyFacts.unionByName(monthFacts)
                .groupBy("user_id")
                .agg(
                        sum("experience_part").as("experience"),
                        min("first_part").as("first_seen_date"),
                        max("last_part").as("last_seen_date"),
                        array_distinct(flatten(collect_list("events_part"))).as("events_done"),
                        max_by(col("account_part"), col("account_at")).as("event_account_id"),
                        sum("beats_part").as("beats"),
                        sum("previous_part").as("beats_previous"),
                        sum("now_count").as("now_count"),
                        sum("previous_count").as("previous_count"),
                        count_distinct(col("day_30d")).as("active_days_30d"));

        Dataset<Row> crm = crmUsers.select(col("user_id").as("crm_user_id"), col("company_id").as("crm_company_id"));
        Dataset<Row> nps = npsResponses
                .filter(col("user_id").isNotNull().and(to_date(col("responded_at")).leq(d)))
                .groupBy(col("user_id").as("nps_user_id"))
                .agg(max_by(col("score"), struct(col("responded_at"), col("response_id"))).as("nps_score"));

        Dataset<Row> users = activity
                .join(crm, activity.col("user_id").equalTo(crm.col("crm_user_id")), "full_outer")
                .withColumn("user_id", coalesce(col("user_id"), col("crm_user_id")));
        users = users.join(nps, users.col("user_id").equalTo(nps.col("nps_user_id")), "left");

        Column beats = coalesce(col("beats"), lit(0.0));
        Column previous = coalesce(col("beats_previous"), lit(0.0));
        Column activeNow = coalesce(col("now_count"), lit(0L)).gt(0);
        Column activeBefore = coalesce(col("previous_count"), lit(0L)).gt(0);
        Column firstSeen = col("first_seen_date");
        Column lifecycle = when(firstSeen.isNull(), lit("never_active"))
                .when(firstSeen.geq(nowStart), lit("new"))
                .when(activeNow.and(activeBefore), lit("returning"))
                .when(activeNow, lit("resurrecting"))
                .when(activeBefore, lit("dormant"))
                .otherwise(lit("inactive"));
        Column onboarding = config.onboardingEvents().isEmpty() ? array().cast(DataTypes.createArrayType(StringType))
                : array(config.onboardingEvents().stream().map(e -> lit(e)).toArray(Column[]::new));
        Column stepsDone = size(array_intersect(coalesce(col("events_done"), array().cast(DataTypes.createArrayType(StringType))),
                onboarding));
        Column npsScore = col("nps_score").cast(IntegerType);

        return users.select(
                d.as("as_of_date"),
                col("user_id"),
                coalesce(col("crm_company_id"), col("event_account_id")).as("account_id"),
                beats.as("beats"),
                previous.as("beats_previous"),
                beats.minus(previous).as("beat_trend"),
                when(previous.notEqual(0), beats.minus(previous).multiply(100).divide(previous)).as("beat_trend_pct"),
                coalesce(col("experience"), lit(0.0)).as("experience"),
                firstSeen,
                col("last_seen_date"),
                datediff(d, col("last_seen_date")).as("days_since_last_seen"),
                coalesce(col("active_days_30d"), lit(0L)).cast(IntegerType).as("active_days_30d"),
                lifecycle.as("lifecycle"),
                stepsDone.as("onboarding_steps_done"),
                lit(!config.onboardingEvents().isEmpty()).and(stepsDone.equalTo(config.onboardingEvents().size()))
                        .as("onboarding_completed"),
                npsScore.as("nps_score"),
                when(npsScore.geq(9), lit("promoter")).when(npsScore.geq(7), lit("passive"))
                        .when(npsScore.isNotNull(), lit("detractor")).as("nps_category"))
                .withColumn("experience_percentile",
                        percent_rank().over(Window.orderBy(col("experience"))).multiply(100));
    }
}
