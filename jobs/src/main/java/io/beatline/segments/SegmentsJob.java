package io.beatline.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.MonthlyRollups;
import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.config.EntityType;
import io.beatline.config.SegmentDefinition;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.SqlPredicates;
import io.beatline.core.Stage;
import io.beatline.core.TableStore;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmSnapshots;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.Identities;
import io.beatline.ingest.SilverEvents;
import io.beatline.metrics.MetricValues;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Job {@code segments}: evaluates every segment of config {@code segments} for D and writes, in
 * this order, {@code segment_membership} for D, {@code segment_changes} (D against the latest
 * earlier snapshot, and the next later snapshot against D when D was run out of order),
 * {@code segment_history}, {@code segment_definitions} and last {@code segment_summary}, whose
 * dates are therefore the complete snapshots. Behavioural conditions read user_daily_activity;
 * those with a where, and sequences, read silver events of their window.
 */
public final class SegmentsJob extends Stage {

    public static final String JOB = "segments";

    public SegmentsJob(JobContext context) {
        super(context, JOB, List.of(UserEngagement.TABLE, AccountKpis.TABLE, MetricValues.TABLE, UserDailyActivity.TABLE,
                UserMonthlyActivity.TABLE, SilverEvents.TABLE, Identities.TABLE, CrmEntity.END_USERS.table, CrmEntity.COMPANIES.table),
                List.of(SegmentMembership.TABLE, SegmentChanges.TABLE, SegmentHistory.TABLE, SegmentDefinitions.TABLE,
                SegmentSummary.TABLE));
    }

    @Override
    public boolean reportsParts() {
        return true;
    }

    @Override
    public JobResult run(LocalDate asOf) {
        SegmentEvaluation evaluation = new SegmentEvaluation(context.config(), asOf);
        evaluation.checkWhere(context.spark());
        return JobRunner.run(context, JOB, asOf, runId -> {
            if (evaluation.isEmpty()) {
                return new JobResult(RowCounts.NONE, "no segments configured");
            }
            Date d = Date.valueOf(asOf);
            // 1. evaluate every segment on the profiles of D (the events of where conditions and sequences read once)
            Dataset<Row> events = events(evaluation, asOf);
            SegmentEvaluation.Evaluated evaluated = evaluation.evaluate(new SegmentEvaluation.Inputs(
                    store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(d))),
                    CrmSnapshots.asOf(store, CrmEntity.END_USERS, asOf),
                    store.read(AccountKpis.TABLE).filter(col("as_of_date").equalTo(lit(d))),
                    CrmSnapshots.asOf(store, CrmEntity.COMPANIES, asOf),
                    metricValues(EntityType.USER, d), metricValues(EntityType.ACCOUNT, d),
                    activity(evaluation, EntityType.USER, asOf), activity(evaluation, EntityType.ACCOUNT, asOf),
                    evaluation.needsEvents(EntityType.USER) ? events : events.limit(0),
                    evaluation.needsEvents(EntityType.ACCOUNT) ? events : events.limit(0),
                    monthly(evaluation, asOf)));
            // kept for the stage: members, the summary and its bases read them (persisted before the first action)
            Dataset<Row> accountProfiles = evaluated.accountProfiles().persist();
            Dataset<Row> users = evaluated.users().persist();
            Dataset<Row> accounts = evaluated.accounts().persist();
            try {
                long memberRows = store.replacePartition(SegmentMembership.TABLE,
                        evaluation.members(evaluated).withColumn("as_of_date", lit(d)), asOf);
                Dataset<Row> current = membership(List.of(asOf));

                // 2. changes against the neighbouring snapshots
                TreeSet<LocalDate> snapshots = snapshotDates();
                snapshots.remove(asOf);
                Optional<LocalDate> previous = Optional.ofNullable(snapshots.lower(asOf));
                Optional<LocalDate> next = Optional.ofNullable(snapshots.higher(asOf));
                Dataset<Row> changes = SegmentChanges.between(previous.map(p -> membership(List.of(p)))
                        .orElse(current.limit(0)), current, asOf);
                List<LocalDate> changed = new ArrayList<>(List.of(asOf));
                if (next.isPresent()) {
                    changes = changes.unionByName(SegmentChanges.between(current, membership(List.of(next.get())), next.get()));
                    changed.add(next.get());
                }
                store.replacePartitions(SegmentChanges.TABLE, changes, changed);

                // 3. history from the previous snapshot on (all of it when D is the first)
                TreeSet<LocalDate> historyDates = new TreeSet<>(previous.isPresent() ? snapshots.tailSet(previous.get(), true) : snapshots);
                historyDates.add(asOf);
                Dataset<Row> spanning = store.read(SegmentHistory.TABLE).limit(0);
                Optional<String> historyCondition = Optional.empty(); // all of it
                if (previous.isPresent()) {
                    Date p = Date.valueOf(previous.get());
                    spanning = store.read(SegmentHistory.TABLE)
                            .filter(col("valid_from").leq(lit(p)).and(col("valid_to").isNull().or(col("valid_to").gt(lit(p)))));
                    historyCondition = Optional.of("valid_to IS NULL OR valid_to > " + SqlPredicates.literal(p));
                }
                Dataset<Row> intervals = SegmentHistory.intervals(membership(List.copyOf(historyDates)),
                        List.copyOf(historyDates), spanning).localCheckpoint();
                if (historyCondition.isPresent()) {
                    store.replace(SegmentHistory.TABLE, intervals, historyCondition.get());
                } else {
                    store.replaceAll(SegmentHistory.TABLE, intervals);
                }

                // 4. definitions
                List<Row> definitions = SegmentDefinitions.merge(store.read(SegmentDefinitions.TABLE).collectAsList(),
                        context.config().segments(), asOf);
                store.replaceAll(SegmentDefinitions.TABLE,
                        context.spark().createDataFrame(definitions, SegmentDefinitions.TABLE.schema()));

                // 5. summary last: once it has D, D's snapshot is complete
                List<Row> summary = summary(users, accounts, current, changes, asOf, next);
                store.replacePartitions(SegmentSummary.TABLE, context.spark().createDataFrame(summary, SegmentSummary.TABLE.schema()),
                        changed);
                return result(summary, context.config().segments(), asOf, memberRows);
            } finally {
                events.unpersist();
                accountProfiles.unpersist();
                users.unpersist();
                accounts.unpersist();
            }
        });
    }

    private Dataset<Row> metricValues(EntityType entity, Date d) {
        return store.read(MetricValues.TABLE)
                .filter(col("as_of_date").equalTo(lit(d)).and(col("entity_type").equalTo(entity.configName())))
                .select("entity_id", "metric", "value");
    }

    /** user_daily_activity over the days the entity's behavioural conditions look at; none when they look at none. */
    private Dataset<Row> activity(SegmentEvaluation evaluation, EntityType entity, LocalDate asOf) {
        Dataset<Row> activity = store.read(UserDailyActivity.TABLE);
        if (!evaluation.needsActivity(entity)) {
            return activity.limit(0);
        }
        activity = activity.filter(col("activity_date").leq(lit(Date.valueOf(asOf))));
        LocalDate from = evaluation.activityReadFrom(entity);
        return from == null ? activity : activity.filter(col("activity_date").geq(lit(Date.valueOf(from))));
    }

    /**
     * The counted silver events, each counted for its user (Identities.attribute), over the
     * longest window the where conditions and sequences of either entity look at, and of the
     * events they name only (all events when one names {@code *}): read once, and kept for the
     * stage when both entities use it. Empty when none looks at events.
     */
    private Dataset<Row> events(SegmentEvaluation evaluation, LocalDate asOf) {
        Dataset<Row> events = store.read(SilverEvents.TABLE);
        boolean users = evaluation.needsEvents(EntityType.USER);
        boolean accounts = evaluation.needsEvents(EntityType.ACCOUNT);
        if (!users && !accounts) {
            return events.limit(0);
        }
        events = events.filter(col("counted").and(col("event_date").leq(lit(Date.valueOf(asOf)))));
        LocalDate userFrom = users ? evaluation.eventsReadFrom(EntityType.USER) : asOf;
        LocalDate accountFrom = accounts ? evaluation.eventsReadFrom(EntityType.ACCOUNT) : asOf;
        if (userFrom != null && accountFrom != null) {
            LocalDate from = userFrom.isBefore(accountFrom) ? userFrom : accountFrom;
            events = events.filter(col("event_date").geq(lit(Date.valueOf(from))));
        }
        Optional<Set<String>> userEvents = users ? evaluation.eventsRead(EntityType.USER) : Optional.of(Set.of());
        Optional<Set<String>> accountEvents = accounts ? evaluation.eventsRead(EntityType.ACCOUNT) : Optional.of(Set.of());
        if (userEvents.isPresent() && accountEvents.isPresent()) {
            // a where or a sequence names a few events of the many: the rest is not attributed, kept nor aggregated
            Set<String> named = new TreeSet<>(userEvents.get());
            named.addAll(accountEvents.get());
            events = events.filter(col("event").isin(named.toArray()));
        }
        Dataset<Row> attributed = Identities.attribute(events, store.read(Identities.TABLE));
        return users && accounts ? attributed.persist() : attributed;
    }

    /** The monthly rollups of the months before D's, when a first-done needs them; else none. */
    private Dataset<Row> monthly(SegmentEvaluation evaluation, LocalDate asOf) {
        Dataset<Row> monthly = store.read(UserMonthlyActivity.TABLE).select("user_id", "month", "events");
        if (!evaluation.needsMonthly(EntityType.USER) && !evaluation.needsMonthly(EntityType.ACCOUNT)) {
            return monthly.limit(0);
        }
        MonthlyRollups.requireRolledUp(store, asOf, JOB);
        return monthly.filter(col("month").lt(lit(Date.valueOf(asOf.withDayOfMonth(1)))));
    }

    private Dataset<Row> membership(List<LocalDate> dates) {
        return store.read(SegmentMembership.TABLE).filter(col("as_of_date").isin(dates.stream().map(Date::valueOf).toArray()));
    }

    /** The dates with a complete snapshot: those in segment_summary. */
    private TreeSet<LocalDate> snapshotDates() {
        return store.read(SegmentSummary.TABLE).select("as_of_date").distinct().collectAsList().stream()
                .map(row -> row.getDate(0).toLocalDate()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code users} and {@code accounts}: the evaluated profiles of D, one row per entity of the base. */
    private List<Row> summary(Dataset<Row> users, Dataset<Row> accounts,
                              Dataset<Row> current, Dataset<Row> changes, LocalDate asOf, Optional<LocalDate> next) {
        List<Row> segmentRows = context.config().segments().stream()
                .map(s -> RowFactory.create(s.id(), s.entity().configName())).toList();
        Dataset<Row> segments = context.spark().createDataFrame(segmentRows,
                new StructType().add("segment_id", DataTypes.StringType).add("entity_type", DataTypes.StringType));
        Dataset<Row> bases = context.spark().createDataFrame(List.of(
                RowFactory.create("user", users.count()), RowFactory.create("account", accounts.count())),
                new StructType().add("entity_type", DataTypes.StringType).add("base", DataTypes.LongType));
        Date d = Date.valueOf(asOf);
        Dataset<Row> summary = SegmentSummary.summarize(segments, current, users, bases,
                changes.filter(col("as_of_date").equalTo(lit(d))), asOf);
        if (next.isPresent()) {
            Date n = Date.valueOf(next.get());
            Dataset<Row> nextSummary = store.read(SegmentSummary.TABLE).filter(col("as_of_date").equalTo(lit(n)));
            summary = summary.unionByName(SegmentSummary.withChanges(nextSummary, changes.filter(col("as_of_date").equalTo(lit(n)))));
        }
        return TableStore.conform(SegmentSummary.TABLE, summary).collectAsList();
    }

    /** The totals, and one part per segment in config order. */
    private static JobResult result(List<Row> summary, List<SegmentDefinition> segments, LocalDate asOf, long memberRows) {
        List<JobResult.Part> parts = new ArrayList<>();
        long entered = 0;
        long exited = 0;
        List<String> order = segments.stream().map(SegmentDefinition::id).toList();
        List<Row> ofDate = summary.stream().filter(row -> row.<Date>getAs("as_of_date").toLocalDate().equals(asOf))
                .sorted(java.util.Comparator.comparingInt(row -> order.indexOf(row.<String>getAs("segment_id")))).toList();
        for (Row row : ofDate) {
            String segment = row.getAs("segment_id");
            long members = row.getAs("members");
            long segmentEntered = row.getAs("entered");
            long segmentExited = row.getAs("exited");
            entered += segmentEntered;
            exited += segmentExited;
            parts.add(new JobResult.Part(segment, RowCounts.written(members),
                    segment + ": " + members + " members, " + segmentEntered + " entered, " + segmentExited + " exited"));
        }
        return new JobResult(RowCounts.written(memberRows), parts.size() + " segments, " + memberRows + " memberships, "
                + entered + " entered, " + exited + " exited", parts);
    }
}
