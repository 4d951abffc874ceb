package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.Stage;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A stage command for one as-of date: loads the config, runs the stage, prints its report as {@code run} does. */
abstract class AsOfCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    /** The command's stage, for this command's context. */
    abstract Stage stage(JobContext context);

    @Override
    public Integer call() {
        return runAndReport(stage(configOptions.context()), asOf);
    }

    /** Runs {@code stage} for {@code date} and prints its line (and its parts' lines, as {@code run} prints them). */
    static int runAndReport(Stage stage, LocalDate date) {
        long started = System.nanoTime();
        JobResult result = stage.run(date);
        System.out.println(stage.name() + " " + date + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        if (stage.reportsParts()) {
            result.parts().forEach(part -> System.out.println("  " + part.message()));
        }
        return 0;
    }
}
