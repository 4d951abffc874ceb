package io.beatline.cli;

import io.beatline.core.JobResult;
import io.beatline.ingest.EventsIngest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code beatline ingest-events --date D}: one landing date of events into silver/events. */
@Command(name = "ingest-events", mixinStandardHelpOptions = true,
        description = "Ingest the events that landed on one date (raw/events/dt=DATE) into silver/events.")
final class IngestEventsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call() {
        EventsIngest job = new EventsIngest(configOptions.context());
        long started = System.nanoTime();
        JobResult result = job.ingest(List.of(ingest.date), ingest.skipCorruptFiles, ingest.force);
        System.out.println("ingest-events " + ingest.date + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
