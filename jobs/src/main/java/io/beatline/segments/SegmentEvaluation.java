package io.beatline.segments;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.EntityType;
import io.beatline.config.SegmentDefinition;
import io.beatline.config.SegmentRule;
import io.beatline.ingest.SilverEvents;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;

/**
 * All segments of the config, compiled once for an as-of date and evaluated together: per
 * entity, one aggregation of daily activity for every behavioural condition, one window per
 * ranked field, then one boolean column per segment in dependency order (a segment after those
 * it refers to). User segments come first: account segments may count matching users.
 */
public final class SegmentEvaluation {

    private final LocalDate asOf;
    private final ProfileFields userFields;
    private final ProfileFields accountFields;
    private final List<SegmentDefinition> userSegments;
    private final List<SegmentDefinition> accountSegments;
    private final Map<String, Column> rules = new LinkedHashMap<>();
    private final Map<String, String> columns = new LinkedHashMap<>();
    private final RuleCompiler.Features userFeatures = new RuleCompiler.Features("__u_");
    private final RuleCompiler.Features accountFeatures = new RuleCompiler.Features("__a_");

    /** Compiles every segment; a field, operator or value that does not fit is a config error. */
    public SegmentEvaluation(BeatlineConfig config, LocalDate asOf) {
        this.asOf = asOf;
        this.userFields = ProfileFields.of(EntityType.USER, config);
        this.accountFields = ProfileFields.of(EntityType.ACCOUNT, config);
        this.userSegments = inDependencyOrder(config.segments(), EntityType.USER);
        this.accountSegments = inDependencyOrder(config.segments(), EntityType.ACCOUNT);
        Map<String, String> userColumns = new LinkedHashMap<>();
        Map<String, String> accountColumns = new LinkedHashMap<>();
        for (SegmentDefinition segment : config.segments()) {
            String column = "__segment_" + columns.size();
            columns.put(segment.id(), column);
            (segment.entity() == EntityType.USER ? userColumns : accountColumns).put(segment.id(), column);
        }
        RuleCompiler users = new RuleCompiler(userFields, asOf, userFeatures, userColumns, null);
        RuleCompiler accounts = new RuleCompiler(accountFields, asOf, accountFeatures, accountColumns, users);
        for (SegmentDefinition segment : userSegments) {
            rules.put(segment.id(), users.compile(segment.rule()));
        }
        for (SegmentDefinition segment : accountSegments) {
            rules.put(segment.id(), accounts.compile(segment.rule()));
        }
    }

    /** Checks every segment of the config without Spark: fields, operators, values. */
    public static void check(BeatlineConfig config) {
        new SegmentEvaluation(config, LocalDate.now(config.timeZone()));
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public List<SegmentDefinition> segments(EntityType entity) {
        return entity == EntityType.USER ? userSegments : accountSegments;
    }

    public ProfileFields fields(EntityType entity) {
        return entity == EntityType.USER ? userFields : accountFields;
    }

    /** The first activity date the behavioural conditions of an entity read; null for all time, D when none. */
    public LocalDate activityReadFrom(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).readFrom(asOf).orElse(null);
    }

    public boolean needsActivity(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).needsActivity();
    }

    /** Whether an entity's conditions read the monthly rollups (first-done). */
    public boolean needsMonthly(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).needsMonthly();
    }

    /** The first event date the where conditions and sequences of an entity read; null for all time. */
    public LocalDate eventsReadFrom(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).eventsReadFrom(asOf).orElse(null);
    }

    /**
     * The events an entity's conditions that read events look at; empty when one looks at any
     * event ({@code *}). Only these events need to be read.
     */
    public Optional<Set<String>> eventsRead(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).eventsRead();
    }

    /** Whether an entity's conditions read events: a behaviour condition with a where, or a sequence. */
    public boolean needsEvents(EntityType entity) {
        return (entity == EntityType.USER ? userFeatures : accountFeatures).needsEvents();
    }

    /**
     * Resolves every {@code where} against an empty profile, so a column that does not exist or
     * an expression that is not boolean is a config error naming the segment before anything is
     * read or written.
     */
    public void checkWhere(SparkSession spark) {
        for (SegmentDefinition segment : userSegments) {
            checkWhere(spark, segment.rule(), userFields);
        }
        for (SegmentDefinition segment : accountSegments) {
            checkWhere(spark, segment.rule(), accountFields);
        }
    }

    private void checkWhere(SparkSession spark, SegmentRule rule, ProfileFields fields) {
        Optional<String> eventWhere = SegmentRule.eventWhere(rule);
        if (eventWhere.isPresent()) {
            checkBoolean(spark, SilverEvents.TABLE.schema(), eventWhere.get(), rule.source().child("where", rule.source().location()),
                    "an event's columns (" + String.join(", ", SilverEvents.TABLE.columns())
                            + "; properties.<key> reads a property)");
        }
        if (rule instanceof SegmentRule.Where where) {
            DataType type;
            try {
                type = spark.createDataFrame(List.of(), fields.schema()).select(org.apache.spark.sql.functions.expr(where.expression()))
                        .schema().fields()[0].dataType();
            } catch (Exception e) { // AnalysisException is checked, thrown undeclared
                String problem = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
                throw where.source().child("where", where.source().location()).problem("does not resolve against the "
                        + fields.entity().configName() + " profile: " + problem.lines().findFirst().orElse(problem)
                        + " (docs/segments.md lists the fields)");
            }
            if (!(type instanceof BooleanType)) {
                throw where.source().child("where", where.source().location()).problem("is " + type.simpleString()
                        + ", not a boolean condition; compare it, e.g. \"" + where.expression() + " > 0\"");
            }
        }
        for (SegmentRule child : SegmentRule.children(rule)) {
            checkWhere(spark, child, rule instanceof SegmentRule.UsersMatching ? userFields : fields);
        }
    }

    /**
     * Resolves a behaviour condition's where against the columns of silver/events: a column that
     * does not exist or an expression that is not boolean is a config error naming the key.
     */
    private static void checkBoolean(SparkSession spark, org.apache.spark.sql.types.StructType schema, String expression,
                                     SegmentRule.Source at, String over) {
        DataType type;
        try {
            type = spark.createDataFrame(List.of(), schema).select(expr(expression)).schema().fields()[0].dataType();
        } catch (Exception e) { // AnalysisException is checked, thrown undeclared
            String problem = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
            throw at.problem("does not resolve against " + over + ": " + problem.lines().findFirst().orElse(problem));
        }
        if (!(type instanceof BooleanType)) {
            throw at.problem("is " + type.simpleString() + ", not a boolean condition over an event");
        }
    }

    /**
     * What a day's evaluation reads, each already as of D: D's user_engagement and account_kpis
     * rows, the CRM's end_users and companies as of D, D's metric_values of each entity type
     * ({@code entity_id, metric, value}), and the users' daily activity ({@code user_id,
     * activity_date, event, event_count}) over the days the user and the account conditions look
     * at (an empty frame when they look at none), and the counted events of the users (silver
     * events, an anonymous one as its linked user's: see Identities.attribute) over the days the
     * where conditions and sequences look at, and the users' monthly rollups ({@code user_id,
     * month, events}) of the months before D's (for first-done; empty when none uses it).
     */
    public record Inputs(Dataset<Row> engagement, Dataset<Row> endUsers, Dataset<Row> accountKpis, Dataset<Row> companies,
                         Dataset<Row> userMetrics, Dataset<Row> accountMetrics, Dataset<Row> userActivity,
                         Dataset<Row> accountActivity, Dataset<Row> userEvents, Dataset<Row> accountEvents,
                         Dataset<Row> monthly) {
    }

    /** The account profiles, and the users and accounts each with a boolean column per segment of theirs. */
    public record Evaluated(Dataset<Row> accountProfiles, Dataset<Row> users, Dataset<Row> accounts) {
    }

    /**
     * Every segment for D, as a pure function of its inputs: the profiles, then the user
     * segments, then the account segments (which may count matching users). A user's activity
     * counts for the account user_engagement gives it on D, as in metrics. Nothing is read or
     * written here; segments/SegmentsJob reads the inputs and writes the results, and the rule
     * tests call this with hand-made frames.
     */
    public Evaluated evaluate(Inputs in) {
        Dataset<Row> accountProfiles = SegmentProfiles.accounts(in.accountKpis(), in.companies(), in.accountMetrics(),
                fields(EntityType.ACCOUNT).schema());
        Dataset<Row> users = evaluateUsers(SegmentProfiles.users(in.engagement(), in.endUsers(), accountProfiles,
                in.userMetrics(), fields(EntityType.USER).schema()),
                in.userActivity().select("user_id", "activity_date", "event", "event_count"),
                in.userEvents().withColumn("__entity_id", col("user_id")),
                in.monthly().select(col("user_id").as("__entity_id"), col("month"), col("events")));
        Dataset<Row> userAccounts = users.select(col("user_id").as("a_user"), col("account_id").as("a_account"))
                .filter(col("a_account").isNotNull());
        Dataset<Row> accountActivity = in.accountActivity().select("user_id", "activity_date", "event", "event_count")
                .join(userAccounts, col("user_id").equalTo(col("a_user")))
                .select(col("a_account").as("account_id"), col("activity_date"), col("event"), col("event_count"));
        Dataset<Row> accountEvents = in.accountEvents().join(userAccounts, col("user_id").equalTo(col("a_user")))
                .withColumnRenamed("a_account", "__entity_id").drop("a_user");
        Dataset<Row> accountMonthly = in.monthly().join(userAccounts, col("user_id").equalTo(col("a_user")))
                .select(col("a_account").as("__entity_id"), col("month"), col("events"));
        return new Evaluated(accountProfiles, users,
                evaluateAccounts(accountProfiles, accountActivity, accountEvents, accountMonthly, users));
    }

    /** One row per member of D's segments, users then accounts: segment_id, entity_type, entity_id. */
    public Dataset<Row> members(Evaluated evaluated) {
        return members(evaluated.users(), EntityType.USER).unionByName(members(evaluated.accounts(), EntityType.ACCOUNT));
    }

    /**
     * User profiles with one boolean column per user segment ({@link #column}) and per
     * users-matching rule. {@code activity}: user_id, activity_date, event, event_count;
     * {@code events}: the users' events with the user as {@code __entity_id}.
     */
    Dataset<Row> evaluateUsers(Dataset<Row> profiles, Dataset<Row> activity, Dataset<Row> events, Dataset<Row> monthly) {
        Dataset<Row> users = withActivityFeatures(profiles, "user_id", activity.withColumnRenamed("user_id", "__entity_id"),
                monthly, userFeatures);
        users = withEventFeatures(users, "user_id", events, userFeatures);
        users = withRanks(users, userFeatures);
        for (SegmentDefinition segment : userSegments) {
            users = users.withColumn(columns.get(segment.id()), rules.get(segment.id()));
        }
        for (RuleCompiler.Features.UsersMatching matching : accountFeatures.usersMatching) {
            users = users.withColumn(matching.userColumn(), matching.userRule());
        }
        return users;
    }

    /**
     * Account profiles with one boolean column per account segment. {@code activity}: the users'
     * daily activity with the account they belong to as account_id; {@code events}: their events
     * with that account as {@code __entity_id}; {@code users}: the result of
     * {@link #evaluateUsers} (for users-matching).
     */
    Dataset<Row> evaluateAccounts(Dataset<Row> profiles, Dataset<Row> activity, Dataset<Row> events, Dataset<Row> monthly,
                                  Dataset<Row> users) {
        Dataset<Row> accounts = withActivityFeatures(profiles, "account_id",
                activity.withColumnRenamed("account_id", "__entity_id"), monthly, accountFeatures);
        accounts = withEventFeatures(accounts, "account_id", events, accountFeatures);
        accounts = withRanks(accounts, accountFeatures);
        if (!accountFeatures.usersMatching.isEmpty()) {
            List<Column> counts = new ArrayList<>();
            for (RuleCompiler.Features.UsersMatching matching : accountFeatures.usersMatching) {
                counts.add(sum(when(col(matching.userColumn()), 1L).otherwise(0L)).as(matching.countColumn()));
            }
            Dataset<Row> perAccount = users.filter(col("account_id").isNotNull())
                    .groupBy(col("account_id").as("__matching_account"))
                    .agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new));
            accounts = accounts.join(perAccount, col("account_id").equalTo(col("__matching_account")), "left")
                    .drop("__matching_account");
            for (RuleCompiler.Features.UsersMatching matching : accountFeatures.usersMatching) {
                accounts = accounts.withColumn(matching.countColumn(), coalesce(col(matching.countColumn()), lit(0L)));
            }
        }
        for (SegmentDefinition segment : accountSegments) {
            accounts = accounts.withColumn(columns.get(segment.id()), rules.get(segment.id()));
        }
        return accounts;
    }

    /** One row per member of an evaluated frame's segments: segment_id, entity_type, entity_id. */
    Dataset<Row> members(Dataset<Row> evaluated, EntityType entity) {
        List<SegmentDefinition> segments = segments(entity);
        String idColumn = entity == EntityType.USER ? "user_id" : "account_id";
        Column[] ids = segments.stream().map(s -> when(col(columns.get(s.id())), lit(s.id()))).toArray(Column[]::new);
        return evaluated.select(col(idColumn).as("entity_id"), explode(array_compact(array(ids))).as("segment_id"))
                .select(col("segment_id"), lit(entity.configName()).as("entity_type"), col("entity_id"));
    }

    private Dataset<Row> withActivityFeatures(Dataset<Row> profiles, String idColumn, Dataset<Row> activity,
                                              Dataset<Row> monthly, RuleCompiler.Features features) {
        if (!features.needsActivity()) {
            return profiles;
        }
        Dataset<Row> withCounts = withCounts(profiles, idColumn, activity, features, false);
        for (Map.Entry<RuleCompiler.Features.DoneBefore, String> entry : features.doneBefore.entrySet()) {
            Dataset<Row> before = doneBefore(activity, monthly, entry.getKey()).withColumn(entry.getValue(), lit(true));
            withCounts = withCounts.join(before, col(idColumn).equalTo(col("__entity_id")), "left").drop("__entity_id")
                    .withColumn(entry.getValue(), coalesce(col(entry.getValue()), lit(false)));
        }
        return withCounts;
    }

    /**
     * The entities ({@code __entity_id}) that did the event before the window: in a month before
     * the window's month (the monthly rollups' event lists), or in that month before the window.
     */
    private Dataset<Row> doneBefore(Dataset<Row> activity, Dataset<Row> monthly, RuleCompiler.Features.DoneBefore before) {
        LocalDate start = before.windowStart(asOf);
        Date monthStart = Date.valueOf(start.withDayOfMonth(1));
        Dataset<Row> inMonth = activity.filter(col("event").equalTo(before.event()).and(col("event_count").gt(0))
                        .and(col("activity_date").geq(lit(monthStart))).and(col("activity_date").lt(lit(Date.valueOf(start)))))
                .select("__entity_id");
        Dataset<Row> inEarlierMonths = monthly.filter(col("month").lt(lit(monthStart))
                        .and(org.apache.spark.sql.functions.array_contains(col("events"), before.event())))
                .select("__entity_id");
        return inMonth.unionByName(inEarlierMonths).distinct();
    }

    /**
     * The counts and periods with a where, and the sequences, from the entity's events
     * ({@code __entity_id} and silver/events' columns): one aggregation for all of them, plus one
     * join per sequence step.
     */
    private Dataset<Row> withEventFeatures(Dataset<Row> profiles, String idColumn, Dataset<Row> events,
                                           RuleCompiler.Features features) {
        if (!features.needsEvents()) {
            return profiles;
        }
        Dataset<Row> dated = events.withColumn("activity_date", col("event_date")).withColumn("event_count", lit(1L));
        Dataset<Row> withCounts = withCounts(profiles, idColumn, dated, features, true);
        for (Map.Entry<RuleCompiler.Features.Sequence, String> entry : features.sequences.entrySet()) {
            Dataset<Row> done = sequenceDone(dated, entry.getKey()).withColumn(entry.getValue(), lit(true));
            withCounts = withCounts.join(done, col(idColumn).equalTo(col("__entity_id")), "left").drop("__entity_id")
                    .withColumn(entry.getValue(), coalesce(col(entry.getValue()), lit(false)));
        }
        return withCounts;
    }

    /**
     * The entities ({@code __entity_id}) that did a sequence's steps in order within its window:
     * the earliest first step, then the earliest second step after it, and so on (taking the
     * earliest each time finds a chain whenever there is one).
     */
    private Dataset<Row> sequenceDone(Dataset<Row> events, RuleCompiler.Features.Sequence sequence) {
        Dataset<Row> window = events.filter(col("activity_date").between(lit(Date.valueOf(asOf.minusDays(sequence.days() - 1L))),
                lit(Date.valueOf(asOf))));
        Dataset<Row> reached = window.filter(col("event").equalTo(sequence.steps().get(0)))
                .groupBy("__entity_id").agg(min("ts").as("__step_at"));
        for (String step : sequence.steps().subList(1, sequence.steps().size())) {
            Dataset<Row> next = window.filter(col("event").equalTo(step)).select(col("__entity_id").as("__next_id"), col("ts"));
            reached = reached.join(next, col("__entity_id").equalTo(col("__next_id")).and(col("ts").gt(col("__step_at"))))
                    .groupBy("__entity_id").agg(min("ts").as("__step_at"));
        }
        return reached.select("__entity_id");
    }

    /**
     * One aggregation per entity of the counts and periods that read daily activity
     * ({@code fromEvents} false: those without a where) or events (true: those with one; each
     * event row has event_count 1), joined to the profiles; an entity without rows gets 0.
     */
    private Dataset<Row> withCounts(Dataset<Row> profiles, String idColumn, Dataset<Row> rows, RuleCompiler.Features features,
                                    boolean fromEvents) {
        List<Column> aggregates = new ArrayList<>();
        List<String> featureColumns = new ArrayList<>();
        for (Map.Entry<RuleCompiler.Features.Count, String> entry : features.counts.entrySet()) {
            RuleCompiler.Features.Count count = entry.getKey();
            if (count.where().isPresent() != fromEvents) {
                continue;
            }
            Column in = events(count.events()).and(passes(count.where()))
                    .and(col("activity_date").leq(lit(Date.valueOf(asOf.minusDays(count.offset())))));
            if (count.days().isPresent()) {
                in = in.and(col("activity_date").geq(lit(Date.valueOf(asOf.minusDays(count.offset() + count.days().get() - 1L)))));
            }
            aggregates.add(sum(when(in, col("event_count")).otherwise(0L)).as(entry.getValue()));
            featureColumns.add(entry.getValue());
        }
        for (Map.Entry<RuleCompiler.Features.Periods, String> entry : features.periods.entrySet()) {
            RuleCompiler.Features.Periods periods = entry.getKey();
            if (periods.where().isPresent() != fromEvents) {
                continue;
            }
            Column in = events(List.of(periods.event())).and(passes(periods.where())).and(col("event_count").gt(0))
                    .and(col("activity_date").geq(lit(Date.valueOf(asOf.minusDays((long) periods.periods() * periods.periodDays() - 1L)))))
                    .and(col("activity_date").leq(lit(Date.valueOf(asOf))));
            // period 0 is the last period-days days up to D, period 1 the ones before, ...
            Column period = floor(datediff(lit(Date.valueOf(asOf)), col("activity_date")).divide(periods.periodDays()));
            aggregates.add(count_distinct(when(in, period)).as(entry.getValue()));
            featureColumns.add(entry.getValue());
        }
        if (aggregates.isEmpty()) {
            return profiles;
        }
        Dataset<Row> perEntity = rows.groupBy(col("__entity_id"))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new));
        Dataset<Row> joined = profiles.join(perEntity, col(idColumn).equalTo(col("__entity_id")), "left").drop("__entity_id");
        for (String feature : featureColumns) {
            joined = joined.withColumn(feature, coalesce(col(feature), lit(0L)));
        }
        return joined;
    }

    /** A where over an event's columns: a null result (e.g. a property the event lacks) does not pass. */
    private static Column passes(Optional<String> where) {
        return where.map(w -> coalesce(expr(w), lit(false))).orElse(lit(true));
    }

    private static Column events(List<String> events) {
        return events.contains("*") ? lit(true) : col("event").isin(events.toArray());
    }

    private static Dataset<Row> withRanks(Dataset<Row> profiles, RuleCompiler.Features features) {
        Dataset<Row> ranked = profiles;
        for (RuleCompiler.Features.Rank rank : features.ranks.values()) {
            Column field = col(RuleCompiler.quoted(rank.field()));
            // one window over all entities of the date: a few thousand to a few million rows, fine in one partition
            ranked = ranked
                    .withColumn(rank.rankColumn(), when(field.isNotNull(),
                            rank().over(Window.orderBy(rank.descending() ? field.desc_nulls_last() : field.asc_nulls_last()))))
                    .withColumn(rank.countColumn(), count(field).over());
        }
        return ranked;
    }

    /** The entity's segments, each after the segments its rule refers to (the config has no cycles). */
    static List<SegmentDefinition> inDependencyOrder(List<SegmentDefinition> all, EntityType entity) {
        Map<String, SegmentDefinition> byId = new LinkedHashMap<>();
        all.stream().filter(s -> s.entity() == entity).forEach(s -> byId.put(s.id(), s));
        List<SegmentDefinition> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (SegmentDefinition segment : byId.values()) {
            place(segment, byId, placed, ordered);
        }
        return ordered;
    }

    private static void place(SegmentDefinition segment, Map<String, SegmentDefinition> byId, Set<String> placed,
                              List<SegmentDefinition> ordered) {
        if (!placed.add(segment.id())) {
            return;
        }
        for (SegmentRule.InSegment reference : SegmentRule.references(segment.rule())) {
            SegmentDefinition target = byId.get(reference.segmentId());
            if (target != null) {
                place(target, byId, placed, ordered);
            }
        }
        ordered.add(segment);
    }
}
