package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.SparkSessions;
import io.beatline.crm.CrmIngest;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline ingest-crm --date D}: the CRM snapshots that landed on D into silver/<entity>. */
@Command(name = "ingest-crm", mixinStandardHelpOptions = true,
        description = "Ingest the CRM snapshots that landed on one date (raw/crm/<entity>/dt=DATE) into silver/<entity>.")
final class IngestCrmCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The snapshot date (dt= folder).")
    LocalDate date;

    @Option(names = "--skip-corrupt-files",
            description = "Record unreadable files in silver/crm_quarantine instead of failing the job.")
    boolean skipCorruptFiles;

    @Option(names = "--force", description = "Ingest again even if the files are unchanged since they were ingested.")
    boolean force;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        JobContext context = JobContext.create(SparkSessions.create(config), config);
        long started = System.nanoTime();
        JobResult result = new CrmIngest(context).ingestDate(date, skipCorruptFiles, force);
        System.out.println("ingest-crm " + date + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
