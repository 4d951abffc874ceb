package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.trunc;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.SqlPredicates;
import io.beatline.core.Stage;
import io.beatline.core.TableSpec;
import io.beatline.ingest.EventsIngestJob;
import io.beatline.ingest.Identities;
import io.beatline.ingest.IngestedBatches;
import io.beatline.ingest.SilverEvents;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Job {@code activity}: brings {@code actor_daily_activity}, {@code user_daily_activity},
 * {@code user_monthly_activity} and {@code user_monthly_events} up to date with what was
 * ingested since it last ran. The newly ingested batches' counted events become actor rows of
 * their own landing date (a late event's row is its landing's), so no event that landed before
 * is read again; the dates those rows fall on, and the dates of the earlier anonymous activity of
 * the ids the batches linked to a user, are stitched again from actor rows; then the months
 * those dates fall in are rolled up again from daily activity, once closed. Every write is a recomputation
 * from its inputs (a landing's actor rows from its silver events), so a rerun after a kill at any
 * point converges. A month is rolled up once it closes for the dates that read it
 * ({@link MonthlyRollups}): the month of the run's date keeps only daily rows until a run for a
 * later month, so a day's run does not roll its whole month up again.
 */
public final class ActivityJob extends Stage {

    public static final String JOB = "activity";

    public ActivityJob(JobContext context) {
        super(context, JOB, List.of(SilverEvents.TABLE, Identities.TABLE),
                List.of(ActorDailyActivity.TABLE, UserDailyActivity.TABLE, UserMonthlyActivity.TABLE, UserMonthlyEvents.TABLE));
    }

    @Override
    public JobResult run(LocalDate asOf) {
        return JobRunner.run(context, JOB, asOf, runId -> {
            recordInterrupted(runId);
            String rolledUp = actorRowsPerLanding() + rollUpEventsOfAnOlderLake();
            List<Row> batches = ProcessedBatches.pending(store, JOB, EventsIngestJob.SOURCE, store.read(IngestedBatches.TABLE));
            if (batches.isEmpty()) {
                TreeSet<LocalDate> closed = rollUp(Set.of(), asOf);
                return new JobResult(RowCounts.NONE, rolledUp + "no newly ingested events"
                        + (closed.isEmpty() ? "; nothing to do" : "; " + monthsNote(closed, asOf)));
            }
            Object[] landings = batches.stream().map(b -> b.getAs("landing_date")).toArray();
            List<LocalDate> landingDates = batches.stream().map(b -> b.<Date>getAs("landing_date").toLocalDate()).toList();
            // the batches' counted events per actor, date, event and landing: the rows they add to actor_daily_activity
            // (a landing ingested again puts its rows in place of its earlier ones); no event that landed before is read
            Dataset<Row> increment = store.read(SilverEvents.TABLE).filter(col("landing_date").isin(landings))
                    .transform(ActorDailyActivity::fromEvents).persist(StorageLevel.MEMORY_AND_DISK());
            try {
                return fold(runId, asOf, batches, landings, landingDates, increment, rolledUp);
            } finally {
                increment.unpersist();
            }
        });
    }

    /**
     * Folds the batches' actor rows ({@code increment}) in, stitches the dates they touch (and
     * the dates of the earlier anonymous activity of the ids they linked), rolls those dates'
     * months up, and marks the batches processed.
     */
    private JobResult fold(String runId, LocalDate asOf, List<Row> batches, Object[] landings, List<LocalDate> landingDates,
                           Dataset<Row> increment, String rolledUp) {
        List<Date> eventDates = dates(increment.select("activity_date"));
        // the dates of the rows a landing ingested again had before
        List<Date> replacedDates = dates(store.read(ActorDailyActivity.TABLE).filter(col("landing_date").isin(landings))
                .select("activity_date"));
        // the anonymous ids these batches linked, and the dates their earlier anonymous activity falls on
        Dataset<Row> linked = store.read(Identities.TABLE).filter(col("link_landing_date").isin(landings))
                .select(col("anonymous_id"));
        List<Date> linkDates = dates(store.read(ActorDailyActivity.TABLE)
                .filter(col("actor_type").equalTo(ActorDailyActivity.ANONYMOUS))
                .join(linked, col("actor_id").equalTo(col("anonymous_id")), "left_semi")
                .select("activity_date"));
        TreeSet<Date> dates = new TreeSet<>(eventDates);
        dates.addAll(replacedDates);
        dates.addAll(linkDates);
        if (dates.isEmpty()) {
            ProcessedBatches.record(store, JOB, batches, runId, 0);
            return new JobResult(RowCounts.NONE, rolledUp + batches.size() + " ingested batches without events; nothing to do");
        }

        if (!eventDates.isEmpty() || !replacedDates.isEmpty()) {
            store.replace(ActorDailyActivity.TABLE, increment, SqlPredicates.in("landing_date", landingDates));
        }
        // a date's stitched rows from its actor rows: the new events' dates, and the dates a new link re-attributes
        long written = store.replacePartitions(UserDailyActivity.TABLE,
                UserDailyActivity.stitch(store.read(ActorDailyActivity.TABLE).filter(col("activity_date").isin(dates.toArray())),
                        store.read(Identities.TABLE)),
                dates.stream().map(Date::toLocalDate).toList());

        TreeSet<LocalDate> months = rollUp(dates.stream().map(d -> d.toLocalDate().withDayOfMonth(1)).collect(Collectors.toSet()),
                asOf);
        ProcessedBatches.record(store, JOB, batches, runId, written);
        long relinked = linkDates.stream().filter(d -> !eventDates.contains(d)).count();
        String anonymous = anonymousNote(dates);
        return new JobResult(RowCounts.written(written), rolledUp + written + " activity rows for " + eventDates.size() + " event dates"
                + (relinked > 0 ? " and " + relinked + " dates re-attributed by new identity links" : "")
                + " (" + dates.first() + ".." + dates.last() + "), " + monthsNote(months, asOf) + anonymous);
    }

    /**
     * Brings the monthly rollups up to date for readers as of {@code asOf} (MonthlyRollups):
     * the months before asOf's that changed ({@code changed}) or were left open are rolled up
     * again from daily activity; a changed month from asOf's on loses its rollup rows until it
     * closes. One commit per rollup table, none when nothing is to do. Returns the months rolled up.
     */
    private TreeSet<LocalDate> rollUp(Set<LocalDate> changed, LocalDate asOf) {
        LocalDate open = asOf.withDayOfMonth(1);
        TreeSet<LocalDate> rolledUp = MonthlyRollups.rolledUp(store);
        TreeSet<LocalDate> months = MonthlyRollups.toRollUp(store, asOf, rolledUp);
        changed.stream().filter(month -> month.isBefore(open)).forEach(months::add);
        TreeSet<LocalDate> opened = changed.stream().filter(month -> !month.isBefore(open) && rolledUp.contains(month))
                .collect(Collectors.toCollection(TreeSet::new));
        if (months.isEmpty() && opened.isEmpty()) {
            for (TableSpec table : List.of(UserMonthlyActivity.TABLE, UserMonthlyEvents.TABLE)) {
                if (!store.exists(table) && store.exists(UserDailyActivity.TABLE)) { // a lake whose first month is open
                    store.replaceAll(table, store.read(table));
                }
            }
            return months;
        }
        TreeSet<LocalDate> replaced = new TreeSet<>(months);
        replaced.addAll(opened);
        Dataset<Row> ofMonths = store.read(UserDailyActivity.TABLE)
                .filter(trunc(col("activity_date"), "month").isin(months.stream().map(Date::valueOf).toArray()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            store.replacePartitions(UserMonthlyActivity.TABLE, ofMonths.transform(UserMonthlyActivity::fromDaily), replaced);
            store.replacePartitions(UserMonthlyEvents.TABLE, ofMonths.transform(UserMonthlyEvents::fromDaily), replaced);
        } finally {
            ofMonths.unpersist();
        }
        return months;
    }

    /** The run-log words for the months rolled up. */
    private static String monthsNote(TreeSet<LocalDate> months, LocalDate asOf) {
        String open = asOf.withDayOfMonth(1).toString().substring(0, 7);
        return months.isEmpty() ? "no closed month to roll up (" + open + " is rolled up once it closes)"
                : months.size() + (months.size() == 1 ? " closed month" : " closed months") + " rolled up ("
                + months.stream().map(m -> m.toString().substring(0, 7)).collect(Collectors.joining(", ")) + ")";
    }

    /**
     * actor_daily_activity written by a beatline before 2026-12 has one row per actor, date and
     * event, not per landing: it is computed again from silver events, per landing, in one
     * commit, before anything else. Returns the run-log words.
     */
    private String actorRowsPerLanding() {
        if (!store.exists(ActorDailyActivity.TABLE)
                || Arrays.asList(store.read(ActorDailyActivity.TABLE).columns()).contains("landing_date")) {
            return "";
        }
        long written = store.rebuild(ActorDailyActivity.TABLE, store.read(SilverEvents.TABLE).transform(ActorDailyActivity::fromEvents));
        return "actor_daily_activity computed again per landing date from silver events (" + written + " rows); ";
    }

    /**
     * A lake whose daily activity was computed by a beatline before user_monthly_events existed
     * gets the table for every month user_monthly_activity holds, in one commit, before anything
     * else. Returns the run-log words.
     */
    private String rollUpEventsOfAnOlderLake() {
        if (store.exists(UserMonthlyEvents.TABLE) || !store.exists(UserDailyActivity.TABLE)) {
            return "";
        }
        Object[] months = MonthlyRollups.months(store, UserMonthlyActivity.TABLE).stream().map(Date::valueOf).toArray();
        long written = store.replaceAll(UserMonthlyEvents.TABLE, store.read(UserDailyActivity.TABLE)
                .filter(trunc(col("activity_date"), "month").isin(months)).transform(UserMonthlyEvents::fromDaily));
        return "user_monthly_events rolled up from the daily activity of the " + months.length + " months rolled up ("
                + written + " rows); ";
    }

    /**
     * The run-log words for the anonymous activity of {@code dates}: how many counted anonymous
     * events count for a user through a link, and how many are nobody's (their id is not linked).
     */
    private String anonymousNote(Set<Date> dates) {
        Dataset<Row> anonymous = store.read(ActorDailyActivity.TABLE).filter(col("actor_type").equalTo(ActorDailyActivity.ANONYMOUS)
                .and(col("activity_date").isin(dates.toArray())));
        Dataset<Row> linked = store.read(Identities.TABLE).select(col("anonymous_id"), lit(true).as("linked"));
        Row totals = anonymous.join(linked, col("actor_id").equalTo(col("anonymous_id")), "left")
                .agg(sum(when(col("linked").isNotNull(), col("event_count")).otherwise(0L)).as("attributed"),
                        sum(when(col("linked").isNull(), col("event_count")).otherwise(0L)).as("unlinked"))
                .first();
        long attributed = totals.isNullAt(0) ? 0 : totals.getLong(0);
        long unlinked = totals.isNullAt(1) ? 0 : totals.getLong(1);
        return attributed + unlinked == 0 ? "" : "; " + attributed + " anonymous events counted for their linked users, "
                + unlinked + " of ids never linked counted for nobody";
    }

    /** The distinct dates of a one-column frame, sorted. */
    private static List<Date> dates(Dataset<Row> column) {
        return column.distinct().collectAsList().stream().map(r -> r.getDate(0)).sorted().toList();
    }

    /**
     * Writes the run-log rows of activity runs killed after they marked their batches processed
     * (meta/processed_batches keeps their row count) and before their own row.
     */
    private void recordInterrupted(String runId) {
        List<PipelineRuns.Interrupted> runs = new ArrayList<>();
        ProcessedBatches.unlogged(store, JOB).forEach((killed, rows) -> {
            Row first = rows.get(0);
            long written = first.getAs("run_rows_written");
            Date last = rows.get(rows.size() - 1).getAs("landing_date");
            runs.add(new PipelineRuns.Interrupted(killed, last.toLocalDate(), first.<Timestamp>getAs("processed_at").toInstant(),
                    RowCounts.written(written), written + " activity rows for the events of " + rows.size()
                            + " ingested batches (landing " + first.getAs("landing_date") + ".." + last + ")", List.of()));
        });
        PipelineRuns.recordInterrupted(context, JOB, runId, runs);
    }
}
