package io.beatline.cli;

import io.beatline.metrics.HealthJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline health --as-of D}: health scores for D, after account-kpis and metrics. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Score health for one as-of date (config `health`) into account_kpis.health_score and metric_values.")
final class HealthCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    @Override
    public Integer call() {
        HealthJob job = new HealthJob(configOptions.context());
        long started = System.nanoTime();
        String message = job.run(asOf).message();
        System.out.println("health " + asOf + ": " + message + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
