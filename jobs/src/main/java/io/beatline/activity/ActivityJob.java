package io.beatline.activity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trunc;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.Stage;
import io.beatline.ingest.EventsIngestJob;
import io.beatline.ingest.IngestedBatches;
import io.beatline.ingest.SilverEvents;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * Job {@code activity}: brings {@code user_daily_activity} and {@code user_monthly_activity} up to
 * date with what was ingested since it last ran. Only the event dates the newly ingested
 * batches touch (late events included) are recomputed, from silver/events; then the months
 * those dates fall in are rolled up again from daily activity.
 */
public final class ActivityJob extends Stage {

    public static final String JOB = "activity";

    public ActivityJob(JobContext context) {
        super(context, JOB, List.of(SilverEvents.TABLE),
                List.of(UserDailyActivity.TABLE, UserMonthlyActivity.TABLE));
    }

    @Override
    public JobResult run(LocalDate asOf) {
        return JobRunner.run(context, JOB, asOf, runId -> {
            recordInterrupted(runId);
            List<Row> batches = ProcessedBatches.pending(store, JOB, EventsIngestJob.SOURCE, store.read(IngestedBatches.TABLE));
            if (batches.isEmpty()) {
                return new JobResult(RowCounts.NONE, "no newly ingested events; nothing to do");
            }
            Object[] landings = batches.stream().map(b -> b.getAs("landing_date")).toArray();
            List<Date> eventDates = store.read(SilverEvents.TABLE).filter(col("landing_date").isin(landings))
                    .select("event_date").distinct().collectAsList().stream().map(r -> r.getDate(0)).sorted().toList();
            if (eventDates.isEmpty()) {
                ProcessedBatches.record(store, JOB, batches, runId, 0);
                return new JobResult(RowCounts.NONE, batches.size() + " ingested batches without events; nothing to do");
            }

            long written = store.replacePartitions(UserDailyActivity.TABLE,
                    store.read(SilverEvents.TABLE).filter(col("event_date").isin(eventDates.toArray()))
                            .transform(UserDailyActivity::fromEvents),
                    eventDates.stream().map(Date::toLocalDate).toList());

            TreeSet<LocalDate> months = eventDates.stream().map(d -> d.toLocalDate().withDayOfMonth(1))
                    .collect(Collectors.toCollection(TreeSet::new));
            List<Date> monthDates = months.stream().map(Date::valueOf).toList();
            store.replacePartitions(UserMonthlyActivity.TABLE,
                    store.read(UserDailyActivity.TABLE)
                            .filter(trunc(col("activity_date"), "month").isin(monthDates.toArray()))
                            .transform(UserMonthlyActivity::fromDaily),
                    months);
            ProcessedBatches.record(store, JOB, batches, runId, written);
            return new JobResult(RowCounts.written(written), written + " activity rows for " + eventDates.size()
                    + " event dates (" + eventDates.get(0) + ".." + eventDates.get(eventDates.size() - 1) + "), "
                    + months.size() + " months rolled up");
        });
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
