package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.metrics.HealthJob;
import java.time.LocalDate;
import picocli.CommandLine.Command;

/** {@code beatline health --as-of D}: health scores for D, after account-kpis and metrics. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Score health for one as-of date (config `health`) into account_kpis.health_score and metric_values.")
final class HealthCommand extends AsOfCommand {

    @Override
    JobResult run(JobContext context, LocalDate asOf) {
        return new HealthJob(context).run(asOf);
    }
}
