package io.beatline.cli;

import io.beatline.metrics.MetricsJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline metrics --as-of D}: every calculated metric of the config for D. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Evaluate the calculated metrics of config `metrics` for one as-of date into metric_values.")
final class MetricsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    @Override
    public Integer call() {
        MetricsJob job = new MetricsJob(configOptions.context());
        long started = System.nanoTime();
        String message = job.run(asOf).message();
        System.out.println("metrics " + asOf + ": " + message + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
