package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.core.BeatlineException;
import io.beatline.core.S3Settings;
import io.beatline.generate.DataGenerator;
import io.beatline.generate.GeneratorOptions;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline generate-data}: a seeded synthetic raw zone, local or s3a. */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
        description = "Write seeded synthetic raw events and CRM extracts in the raw-zone layout (local path or s3a://).")
final class GenerateDataCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Raw-zone root to write.")
    String out;

    @Option(names = "--users", defaultValue = "300", description = "End users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--accounts", defaultValue = "20", description = "Companies (default ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--days", defaultValue = "45", description = "Landing dates (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--events-per-day", defaultValue = "1500", description = "About this many events a day (default ${DEFAULT-VALUE}).")
    int eventsPerDay;

    @Option(names = "--files-per-day", defaultValue = "3", description = "Event files per landing date (default ${DEFAULT-VALUE}).")
    int filesPerDay;

    @Option(names = "--crm-every-days", defaultValue = "7", description = "A CRM snapshot every N days, and on the last day (default ${DEFAULT-VALUE}).")
    int crmEveryDays;

    @Option(names = "--anonymous-share", defaultValue = "0",
            description = "Share of the users' events sent logged out, with only the device's anonymous id; each device is linked"
                    + " by its user's first logged-in event of a day, some links land late, a few devices are shared (default ${DEFAULT-VALUE}).")
    double anonymousShare;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--end-date", defaultValue = "2026-06-30", paramLabel = "YYYY-MM-DD",
            description = "The last landing date (default ${DEFAULT-VALUE}).")
    LocalDate endDate;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        GeneratorOptions options;
        try {
            options = new GeneratorOptions(out, users, accounts, days, eventsPerDay, filesPerDay, seed, endDate, crmEveryDays,
                    anonymousShare);
        } catch (IllegalArgumentException e) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "generate-data: " + e.getMessage());
        }
        Configuration hadoop = new Configuration();
        S3Settings.apply(config.s3(), hadoop);
        long started = System.nanoTime();
        DataGenerator.Summary summary = new DataGenerator(options, hadoop).generate();
        System.out.printf("Wrote %d events in %d files over %d days (%s .. %s) and %d CRM snapshots to %s in %.1f s%n",
                summary.events(), summary.eventFiles(), summary.days(), options.startDate(), options.endDate(),
                summary.crmSnapshots(), out, (System.nanoTime() - started) / 1e9);
        return 0;
    }
}
