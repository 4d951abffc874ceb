package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A stage command for one as-of date: loads the config, runs the stage, prints its one-line report. */
abstract class AsOfCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    /** Runs the stage for {@code asOf}. */
    abstract JobResult run(JobContext context, LocalDate asOf);

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        long started = System.nanoTime();
        JobResult result = run(context, asOf);
        System.out.println(getClass().getAnnotation(Command.class).name() + " " + asOf + ": " + result.message()
                + " (" + Beatline.seconds(started) + ")");
        result.parts().forEach(part -> System.out.println("  " + part.message()));
        return 0;
    }
}
