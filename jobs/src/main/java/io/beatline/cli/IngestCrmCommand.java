package io.beatline.cli;

import io.beatline.core.JobResult;
import io.beatline.crm.CrmIngest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code beatline ingest-crm --date D}: the CRM snapshots that landed on D into silver/<entity>. */
@Command(name = "ingest-crm", mixinStandardHelpOptions = true,
        description = "Ingest the CRM snapshots that landed on one date (raw/crm/<entity>/dt=DATE) into silver/<entity>.")
final class IngestCrmCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call() {
        CrmIngest job = new CrmIngest(configOptions.context());
        long started = System.nanoTime();
        JobResult result = job.ingestDate(ingest.date, ingest.skipCorruptFiles, ingest.force);
        System.out.println("ingest-crm " + ingest.date + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
