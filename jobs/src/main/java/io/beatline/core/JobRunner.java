package io.beatline.core;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job for one date and writes its row to the run log whatever happens: succeeded with
 * its counts, or failed with the error's message, before the error goes on to the caller. The
 * outermost job of a command holds the lake's {@link LakeLock} while it runs. Each job's rows are
 * committed as soon as it ends, so the stages of a {@code run} killed later keep theirs; what a
 * job killed between its last commit and its row had committed is recorded by the next run of
 * the stage (see {@link PipelineRuns#recordInterrupted}).
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** Delta's session setting for the userMetadata of the commits that follow. */
    static final String COMMIT_METADATA = "spark.databricks.delta.commitInfo.userMetadata";

    private JobRunner() {
    }

    /** {@code body} gets the run id (stamped on the rows it writes) and returns what it did. */
    public static JobResult run(JobContext context, String job, LocalDate date, Function<String, JobResult> body) {
        String runId = UUID.randomUUID().toString();
        Instant started = Instant.now();
        JobResult result;
        Lake lake = context.store().lake();
        RunScope scope = context.scope();
        boolean outermost = scope.enter();
        Lineage.Recording lineage = context.store().lineage().begin();
        try {
            try {
                if (outermost) {
                    LakeLock.acquire(context.spark(), lake, job, String.valueOf(date));
                }
                // every Delta commit of the job names it in its commitInfo.userMetadata (`beatline tables` shows it)
                var conf = context.spark().conf();
                String outer = conf.getOption(COMMIT_METADATA).getOrElse(() -> null);
                conf.set(COMMIT_METADATA, commitMetadata(job, date, runId));
                try {
                    result = body.apply(runId);
                } finally {
                    if (outer == null) {
                        conf.unset(COMMIT_METADATA);
                    } else {
                        conf.set(COMMIT_METADATA, outer);
                    }
                    if (outermost) {
                        LakeLock.release(context.spark(), lake);
                    }
                }
            } catch (Exception e) { // Spark throws checked exceptions undeclared
                BeatlineException error = e instanceof BeatlineException b ? b
                        : BeatlineException.jobFailure(job + " for " + date + " failed: " + accessHint(e, lake) + rootMessage(e), e);
                try {
                    lineage.close();
                    PipelineRuns.record(context.store(), List.of(new JobRun(runId, job, date, started, Instant.now(), "failed", RowCounts.NONE,
                            error.getMessage(), context.config().hash(), context.version(), null, lineage.json())));
                } catch (Exception recordFailure) { // keep the original error; say the log failed too
                    error.addSuppressed(recordFailure);
                }
                throw error;
            }
            Instant finished = Instant.now();
            lineage.close(); // what the job read and wrote, not its own run-log row
            List<JobRun> rows = new ArrayList<>();
            rows.add(new JobRun(runId, job, date, started, finished, "succeeded", result.counts(), result.message(),
                    context.config().hash(), context.version(), result.inputs(), lineage.json()));
            for (JobResult.Part part : result.parts()) {
                rows.add(new JobRun(runId, job + ":" + part.name(), date, started, finished, "succeeded", part.counts(),
                        part.message(), context.config().hash(), context.version(), null));
            }
            PipelineRuns.record(context.store(), rows);
        } finally {
            lineage.close();
            scope.exit();
        }
        // the progress line: what the job did is its command's report (printed once, at the end)
        LOG.info("{} {}: done in {}", job, date, String.format("%.1f s", (Instant.now().toEpochMilli() - started.toEpochMilli()) / 1e3));
        return result;
    }

    /** {@code <job> <date> run <run id>}: what a job's Delta commits carry as userMetadata. */
    static String commitMetadata(String job, LocalDate date, String runId) {
        return job + " " + date + " run " + runId;
    }

    /** What the file systems and object stores say when a user may not write somewhere. */
    private static final List<String> ACCESS_DENIED = List.of("Permission denied", "Operation not permitted",
            "Read-only file system", "AccessDenied", "Access Denied", "403 Forbidden");

    /**
     * {@code "permission denied ..."} with what to do, when the error (anywhere in its chain) is
     * one of being refused a write: a lake owned by another user, a read-only mount, a bucket
     * policy without PutObject; else empty. Java and Hadoop word it many ways, and the innermost
     * message alone ("/lake/meta/_beatline.lock (Operation not permitted)") does not say it.
     */
    static String accessHint(Throwable error, Lake lake) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof java.nio.file.AccessDeniedException
                    || cause.getClass().getName().equals("org.apache.hadoop.security.AccessControlException")
                    || ACCESS_DENIED.stream().anyMatch(message::contains)) {
                return "permission denied writing the lake " + lake.root() + ": the user running beatline ("
                        + System.getProperty("user.name") + ") needs to create, write and delete files in every folder"
                        + " of the lake (on S3: s3:PutObject, s3:GetObject, s3:DeleteObject and s3:ListBucket on its"
                        + " prefix); the tables are as the last commit left them. ";
            }
        }
        return "";
    }

    /** The innermost message of a chain, which is usually the one that says what went wrong. */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
