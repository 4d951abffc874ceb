package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.metrics.MetricsJob;
import picocli.CommandLine.Command;

/**
 * {@code beatline metrics --as-of D}: account KPIs, calculated metrics and health scores for D.
 * {@code account-kpis} and {@code health}, the names of the steps it took over, run the same.
 */
@Command(name = "metrics", aliases = {"account-kpis", "health"}, mixinStandardHelpOptions = true,
        description = "Compute one as-of date's account KPIs, calculated metrics (config `metrics`) and health scores"
                + " (config `health`) into account_kpis and metric_values. Also runs as account-kpis or health.")
final class MetricsCommand extends AsOfCommand {

    @Override
    Stage stage(JobContext context) {
        return new MetricsJob(context);
    }
}
