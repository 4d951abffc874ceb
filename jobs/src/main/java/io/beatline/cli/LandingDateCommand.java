package io.beatline.cli;

import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** An ingestion command: the folders that landed on one date, taken in by the command's stage. */
abstract class LandingDateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The landing date (dt= folder).")
    LocalDate date;

    @Option(names = "--skip-corrupt-files",
            description = "Record unreadable files in the quarantine instead of failing the job.")
    boolean skipCorruptFiles;

    @Option(names = "--force", description = "Ingest again even if the files are unchanged since they were ingested.")
    boolean force;

    /** The command's stage, for this command's context, taking one landing date. */
    abstract Stage stage(JobContext context, IngestOptions options);

    @Override
    public Integer call() {
        return AsOfCommand.runAndReport(stage(configOptions.context(), IngestOptions.landingDate(skipCorruptFiles, force)), date);
    }
}
