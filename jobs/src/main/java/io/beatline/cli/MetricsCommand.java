package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.metrics.MetricsJob;
import java.time.LocalDate;
import picocli.CommandLine.Command;

/** {@code beatline metrics --as-of D}: every calculated metric of the config for D. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Evaluate the calculated metrics of config `metrics` for one as-of date into metric_values.")
final class MetricsCommand extends AsOfCommand {

    @Override
    JobResult run(JobContext context, LocalDate asOf) {
        return new MetricsJob(context).run(asOf);
    }
}
