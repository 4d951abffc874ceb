package io.beatline.cli;

import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.crm.CrmIngestJob;
import picocli.CommandLine.Command;

/** {@code beatline ingest-crm --date D}: the CRM snapshots that landed on D into silver/<entity>. */
@Command(name = "ingest-crm", mixinStandardHelpOptions = true,
        description = "Ingest the CRM snapshots that landed on one date (raw/crm/<entity>/dt=DATE) into silver/<entity>.")
final class IngestCrmCommand extends LandingDateCommand {

    @Override
    Stage stage(JobContext context, IngestOptions options) {
        return new CrmIngestJob(context, options);
    }
}
