package io.beatline.cli;

import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.ingest.EventsIngestJob;
import picocli.CommandLine.Command;

/** {@code beatline ingest-events --date D}: one landing date of events into silver/events. */
@Command(name = "ingest-events", mixinStandardHelpOptions = true,
        description = "Ingest the events that landed on one date (raw/events/dt=DATE) into silver/events.")
final class IngestEventsCommand extends LandingDateCommand {

    @Override
    Stage stage(JobContext context, IngestOptions options) {
        return new EventsIngestJob(context, options);
    }
}
