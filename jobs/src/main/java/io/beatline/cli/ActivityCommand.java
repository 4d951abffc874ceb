package io.beatline.cli;

import io.beatline.activity.ActivityJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline activity}: user_daily_activity and user_monthly_activity brought up to date. */
@Command(name = "activity", mixinStandardHelpOptions = true,
        description = "Recompute user_daily_activity (and its monthly rollup) for the event dates touched by newly ingested events.")
final class ActivityCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "Date recorded in the run log (default: today).")
    LocalDate asOf = LocalDate.now();

    @Override
    public Integer call() {
        return AsOfCommand.runAndReport(new ActivityJob(configOptions.context()), asOf);
    }
}
