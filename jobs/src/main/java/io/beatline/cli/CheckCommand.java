package io.beatline.cli;

import io.beatline.checks.DataQuality;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.serving.LakeTables;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline check --as-of D}: the data-quality checks {@code run} ends with, on their own. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check every table for one as-of date (key, required columns, accepted values, ranges, day-over-day) as run does at its end.")
final class CheckCommand implements Callable<Integer> {

    static final String JOB = "check";

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        long started = System.nanoTime();
        JobResult result = JobRunner.run(context, JOB, asOf,
                runId -> new JobResult(RowCounts.NONE, new DataQuality(context).run(runId, asOf, LakeTables.all())));
        System.out.println(JOB + " " + asOf + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
