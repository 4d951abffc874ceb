package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.SparkSessions;
import io.beatline.config.BeatlineConfig;
import io.beatline.ingest.EventsIngest;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline ingest-events --date D}: one landing date of events into silver/events. */
@Command(name = "ingest-events", mixinStandardHelpOptions = true,
        description = "Ingest the events that landed on one date (raw/events/dt=DATE) into silver/events.")
final class IngestEventsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The landing date (dt= folder).")
    LocalDate date;

    @Option(names = "--skip-corrupt-files",
            description = "Record unreadable files in silver/events_quarantine instead of failing the job.")
    boolean skipCorruptFiles;

    @Option(names = "--force", description = "Ingest again even if the files are unchanged since they were ingested.")
    boolean force;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        JobContext context = JobContext.create(SparkSessions.create(config), config);
        long started = System.nanoTime();
        JobResult result = new EventsIngest(context).ingest(List.of(date), skipCorruptFiles, force);
        System.out.println("ingest-events " + date + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
