package io.beatline.pipeline;

import io.beatline.core.BeatlineException;
import io.beatline.core.Hashes;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.LakeVersions;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.activity.ActivityUpdate;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmIngest;
import io.beatline.engagement.EngagementJob;
import io.beatline.ingest.EventsIngest;
import io.beatline.ingest.RawZone;
import io.beatline.metrics.MetricsJob;
import io.beatline.segments.SegmentsJob;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code beatline run}: every stage for an as-of date, in order. Each stage is also a command of
 * its own; this class only says in which order they run.
 */
public final class DailyPipeline {

    public static final String JOB = "run";

    /** The report's line when a run finds nothing to do. */
    static final String UNCHANGED = "nothing landed and no table, setting or version changed since the last successful"
            + " run for this date; every stage skipped";

    private final JobContext context;

    public DailyPipeline(JobContext context) {
        this.context = context;
    }

    /** Runs the pipeline for {@code asOf}; returns one line per stage for the summary. */
    public List<String> run(LocalDate asOf, boolean skipCorruptFiles) {
        List<String> report = new ArrayList<>();
        JobRunner.run(context, JOB, asOf, runId -> {
            // nothing landed and no table, setting or version changed since the last successful run for asOf:
            // every stage would write what is there, so none runs
            String landed = landedSignature(asOf);
            Optional<String> last = PipelineRuns.lastInputs(context.store(), JOB, asOf);
            if (last.isPresent() && last.get().equals(LakeVersions.fingerprint(context, landed))) {
                report.add(UNCHANGED);
                return new JobResult(RowCounts.NONE, UNCHANGED, List.of(), last.get());
            }
            // 1. events: every landed folder up to asOf not yet ingested (and asOf's, if it changed)
            RowCounts ingested = ingestEvents(asOf, skipCorruptFiles, report);
            // 2. CRM: every snapshot up to asOf not yet ingested
            JobResult crm = new CrmIngest(context).catchUp(asOf, skipCorruptFiles);
            report.add("ingest-crm: " + crm.message());
            // 3. daily and monthly activity for the event dates the new events touch
            report.add("activity: " + new ActivityUpdate(context).run(asOf).message());
            // 4. user engagement as of asOf
            report.add("engagement: " + new EngagementJob(context).run(asOf).message());
            // 5. account KPIs, calculated metrics and health scores as of asOf
            report.add("metrics: " + new MetricsJob(context).run(asOf).message());
            // 6. segment membership, changes, history and summary
            JobResult segments = new SegmentsJob(context).run(asOf);
            report.add("segments: " + segments.message());
            segments.parts().forEach(part -> report.add("  " + part.message()));
            // the run's log row gets the stages' lines; the per-segment lines are in the segments job's rows
            List<String> stages = report.stream().filter(line -> !line.startsWith(" ")).toList();
            return new JobResult(ingested.plus(crm.counts()), String.join("; ", stages), List.of(),
                    LakeVersions.fingerprint(context, landed));
        });
        return report;
    }

    /** Runs {@code from} .. {@code to}, one date after the other. */
    public List<String> backfill(LocalDate from, LocalDate to, boolean skipCorruptFiles) {
        if (to.isBefore(from)) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "--to " + to + " is before --from " + from + ".");
        }
        List<String> report = new ArrayList<>();
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            for (String line : run(date, skipCorruptFiles)) {
                report.add(date + " " + line);
            }
        }
        return report;
    }

    /**
     * What has landed for a run as of {@code asOf}, as the run reads it: per source, the landing
     * dates up to asOf and the files of asOf's own folder (the one folder a run re-reads when its
     * files change).
     */
    private String landedSignature(LocalDate asOf) {
        RawZone raw = new RawZone(context.config().raw(), context.spark().sparkContext().hadoopConfiguration());
        List<String> sources = new ArrayList<>();
        sources.add(EventsIngest.SOURCE);
        for (CrmEntity entity : CrmEntity.values()) {
            sources.add(entity.source());
        }
        StringBuilder signature = new StringBuilder();
        for (String source : sources) {
            signature.append(source).append(':');
            raw.landedDates(source).stream().filter(date -> !date.isAfter(asOf)).forEach(date -> signature.append(date).append(','));
            raw.batch(source, asOf).ifPresent(batch -> signature.append(batch.fingerprint()));
            signature.append(';');
        }
        return Hashes.shortSha256(signature.toString());
    }

    private RowCounts ingestEvents(LocalDate asOf, boolean skipCorruptFiles, List<String> report) {
        EventsIngest ingest = new EventsIngest(context);
        TreeSet<LocalDate> dates = new TreeSet<>(ingest.pendingDates(asOf));
        if (ingest.landed(asOf)) {
            dates.add(asOf); // re-ingested only if its files changed
        } else if (context.config().requireLandedInput()) {
            throw BeatlineException.inputMissing("No events have landed for " + asOf + " (no folder dt=" + asOf
                    + " under " + context.config().raw() + "/events). Retry once the delivery is in, or set"
                    + " input.require-landed = false to run on what has landed.");
        }
        if (dates.isEmpty()) {
            report.add("ingest-events: nothing new has landed");
            return RowCounts.NONE;
        }
        JobResult result = ingest.ingest(List.copyOf(dates), skipCorruptFiles, false);
        report.add("ingest-events: " + result.message());
        return result.counts();
    }
}
