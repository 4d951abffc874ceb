package io.beatline.cli;

import io.beatline.engagement.EngagementJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline engagement --as-of D}: the user_engagement partition for D. */
@Command(name = "engagement", mixinStandardHelpOptions = true,
        description = "Write user_engagement for one as-of date from user_daily_activity and the CRM as of that date.")
final class EngagementCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    @Override
    public Integer call() {
        EngagementJob job = new EngagementJob(configOptions.context());
        long started = System.nanoTime();
        String message = job.run(asOf).message();
        System.out.println("engagement " + asOf + ": " + message + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
