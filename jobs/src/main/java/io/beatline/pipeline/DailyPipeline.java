package io.beatline.pipeline;

import io.beatline.activity.ActivityJob;
import io.beatline.activity.IdentitySummary;
import io.beatline.checks.DataQuality;
import io.beatline.config.BeatlineConfig;
import io.beatline.core.BeatlineException;
import io.beatline.core.Hashes;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.Lake;
import io.beatline.core.LakeVersions;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.Stage;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmIngestJob;
import io.beatline.engagement.EngagementJob;
import io.beatline.ingest.EventsIngestJob;
import io.beatline.ingest.RawZone;
import io.beatline.metrics.MetricsJob;
import io.beatline.segments.SegmentsJob;
import io.beatline.serving.LakeTables;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code beatline run}: every stage for an as-of date, in order. Each stage is also a command of
 * its own; this class only says in which order they run.
 */
public final class DailyPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DailyPipeline.class);

    public static final String JOB = "run";

    /** The report's line when a run finds nothing to do. */
    public static final String UNCHANGED = "nothing landed and no table, setting or version changed since the last successful"
            + " run for this date; every stage skipped, nothing written";

    private final JobContext context;

    public DailyPipeline(JobContext context) {
        this.context = context;
    }

    /**
     * The stages of {@code run}, in order: 1. events, every landed folder up to the date not yet
     * ingested (and the date's own, if its files changed); 2. CRM snapshots, the same; 3. daily
     * and monthly activity for the event dates the new events touch; 4. user engagement; 5.
     * account KPIs, calculated metrics and health scores; 6. segment membership, changes,
     * history, definitions and summary. Each is also its own command, run the same way. After
     * them, {@link #run} sums up identity stitching ({@link IdentitySummary}) and checks the
     * tables ({@link DataQuality}).
     */
    public List<Stage> stages(boolean skipCorruptFiles) {
        IngestOptions ingest = IngestOptions.catchUp(skipCorruptFiles);
        return List.of(new EventsIngestJob(context, ingest), new CrmIngestJob(context, ingest), new ActivityJob(context),
                new EngagementJob(context), new MetricsJob(context), new SegmentsJob(context));
    }

    /** Runs the pipeline for {@code asOf}; returns one line per stage for the summary. */
    public List<String> run(LocalDate asOf, boolean skipCorruptFiles) {
        List<String> report = new ArrayList<>();
        Configuration hadoop = context.spark().sparkContext().hadoopConfiguration();
        Optional<String> lastHash = PipelineRuns.lastInputsHash(context.store(), JOB, asOf);
        if (lastHash.isPresent() && sameInputs(lastHash.get(), context.config(), context.version(), hadoop, asOf)) {
            report.add(UNCHANGED);
            return report;
        }
        JobRunner.run(context, JOB, asOf, runId -> {
            String landed = landedSignature(new RawZone(context.config().raw(), hadoop), asOf);
            // the run log's newest commits hold no run for asOf as the latest (a run log from before the commits
            // said so, or another date's run since): its table may, read under the lock
            if (lastHash.isEmpty()) {
                String inputs = LakeVersions.fingerprint(context, landed);
                if (PipelineRuns.lastInputs(context.store(), JOB, asOf).filter(inputs::equals).isPresent()) {
                    report.add(UNCHANGED);
                    return new JobResult(RowCounts.NONE, UNCHANGED, List.of(), inputs);
                }
            }
            RowCounts ingested = RowCounts.NONE;
            for (Stage stage : stages(skipCorruptFiles)) {
                JobResult result = stage.run(asOf);
                report.add(stage.name() + ": " + result.message());
                if (stage.reportsParts()) {
                    result.parts().forEach(part -> report.add("  " + part.message()));
                }
                if (stage.outputs().stream().anyMatch(table -> table.layer().equals("silver"))) {
                    ingested = ingested.plus(result.counts()); // the run's counts are the raw rows it took in
                }
            }
            // 7. what identity stitching did for asOf (meta/identity_summary)
            report.add(IdentitySummary.write(context.store(), asOf, runId));
            // 8. the data-quality checks of every table for asOf (a failure in enforce mode fails the run here)
            report.add(new DataQuality(context).run(runId, asOf, LakeTables.all()));
            // the run's log row gets the stages' lines; the per-segment lines are in the segments job's rows
            List<String> stages = report.stream().filter(line -> !line.startsWith(" ")).toList();
            return new JobResult(ingested, String.join("; ", stages), List.of(), LakeVersions.fingerprint(context, landed));
        });
        return report;
    }

    /** Runs {@code from} .. {@code to}, one date after the other. */
    public List<String> backfill(LocalDate from, LocalDate to, boolean skipCorruptFiles) {
        if (to.isBefore(from)) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "--to " + to + " is before --from " + from + ".");
        }
        List<String> report = new ArrayList<>();
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            LOG.info("backfill {}..{}: {} ({} of {})", from, to, date, ChronoUnit.DAYS.between(from, date) + 1, days);
            for (String line : run(date, skipCorruptFiles)) {
                report.add(date + " " + line);
            }
        }
        return report;
    }

    /**
     * Whether nothing landed and no table, setting or version changed since the last successful
     * run for {@code asOf}: then every stage would write what is there, so none runs and nothing is
     * written, not even a run-log row. Decided from file listings and the run log's newest commit
     * files alone, so a command can ask before it starts Spark (the no-op run). False when those
     * commits hold no successful run for {@code asOf} as the latest run: {@link #run} then compares,
     * under the lake lock, with the run log's table.
     */
    public static boolean unchangedSinceLastRun(BeatlineConfig config, String version, Configuration hadoop, LocalDate asOf) {
        Optional<String> lastHash = PipelineRuns.lastInputsHash(hadoop, new Lake(config.lake()), JOB, asOf);
        // empty in the common daily case: the last run was for another date
        return lastHash.isPresent() && sameInputs(lastHash.get(), config, version, hadoop, asOf);
    }

    /** Whether what a run for {@code asOf} sees now hashes to {@code lastHash}, the inputs the last run recorded. */
    private static boolean sameInputs(String lastHash, BeatlineConfig config, String version, Configuration hadoop,
                                      LocalDate asOf) {
        String landed = landedSignature(new RawZone(config.raw(), hadoop), asOf);
        return lastHash.equals(Hashes.shortSha256(LakeVersions.fingerprint(new Lake(config.lake()), hadoop, config.hash(),
                version, landed)));
    }

    /**
     * What has landed for a run as of {@code asOf}, as the run reads it: per source, the landing
     * dates up to asOf and the files of asOf's own folder (the one folder a run re-reads when its
     * files change).
     */
    private static String landedSignature(RawZone raw, LocalDate asOf) {
        List<String> sources = new ArrayList<>();
        sources.add(EventsIngestJob.SOURCE);
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
}
