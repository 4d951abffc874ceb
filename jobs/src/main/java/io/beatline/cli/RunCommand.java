package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.core.JobContext;
import io.beatline.core.SparkSessions;
import io.beatline.pipeline.DailyPipeline;
import io.beatline.serving.TrinoCatalog;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline run --as-of D} or {@code --from A --to B}: every stage, in order. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run every stage for one as-of date (catching up landed input), or for each date of a range.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Dates dates;

    static final class Dates {
        @Option(names = "--as-of", paramLabel = "YYYY-MM-DD", description = "The as-of date.")
        LocalDate asOf;

        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First date of a backfill.")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "YYYY-MM-DD", description = "Last date of a backfill (included).")
        LocalDate to;
    }

    @Option(names = "--skip-corrupt-files",
            description = "Record unreadable input files in quarantine instead of failing the run.")
    boolean skipCorruptFiles;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        // the no-op run (nothing landed or changed since the last successful run for the date) needs no Spark
        boolean unchanged = dates.asOf != null && DailyPipeline.unchangedSinceLastRun(config, JobContext.buildVersion(),
                SparkSessions.hadoopConfiguration(config), dates.asOf);
        JobContext context = null;
        if (unchanged) {
            System.out.println(DailyPipeline.UNCHANGED);
        } else {
            context = configOptions.context(config);
            DailyPipeline pipeline = new DailyPipeline(context);
            List<String> report = dates.asOf != null
                    ? pipeline.run(dates.asOf, skipCorruptFiles)
                    : pipeline.backfill(dates.range.from, dates.range.to, skipCorruptFiles);
            report.forEach(System.out::println);
        }
        // 9. with catalog.trino.url set, the tables are registered in Trino (new versions need nothing)
        Optional<String> trino = config.catalog().trinoUrl();
        if (trino.isPresent()) {
            JobContext publishing = context != null ? context : configOptions.context(config);
            System.out.println("publish-catalog: " + TrinoCatalog.publish(config, publishing.store(), trino.get()).message());
        }
        System.out.println("Lake: " + config.lake());
        LocalDate last = dates.asOf != null ? dates.asOf : dates.range.to;
        System.out.println("Next: " + launcher() + " tables lists the tables; ask one a question with " + launcher()
                + " sql \"SELECT lifecycle, count(*) AS users FROM user_engagement WHERE as_of_date = DATE '" + last
                + "' GROUP BY lifecycle\"");
        return 0;
    }

    /** How the user started beatline, for the next command to try: scripts/beatline says so; else {@code beatline}. */
    static String launcher() {
        String launcher = System.getenv("BEATLINE_LAUNCHER");
        return launcher == null || launcher.isBlank() ? "beatline" : launcher;
    }
}
