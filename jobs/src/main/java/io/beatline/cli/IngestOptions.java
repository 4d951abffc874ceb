package io.beatline.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The options of the ingestion commands. */
final class IngestOptions {

    @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", description = "The landing date (dt= folder).")
    LocalDate date;

    @Option(names = "--skip-corrupt-files",
            description = "Record unreadable files in the quarantine instead of failing the job.")
    boolean skipCorruptFiles;

    @Option(names = "--force", description = "Ingest again even if the files are unchanged since they were ingested.")
    boolean force;
}
