package io.beatline.core;

/**
 * How an ingestion stage reads the raw zone: {@code landingDateOnly} takes just the date's own
 * {@code dt=} folder (the {@code ingest-events} / {@code ingest-crm --date} commands), else every
 * folder up to the date not yet ingested and the date's own if its files changed (what
 * {@code run} does); {@code force} ingests a folder again although its files are unchanged;
 * {@code skipCorruptFiles} quarantines an unreadable file instead of failing the job.
 */
public record IngestOptions(boolean landingDateOnly, boolean skipCorruptFiles, boolean force) {

    /** What {@code run} does: catch up to the date. */
    public static IngestOptions catchUp(boolean skipCorruptFiles) {
        return new IngestOptions(false, skipCorruptFiles, false);
    }

    /** One landing date's folder. */
    public static IngestOptions landingDate(boolean skipCorruptFiles, boolean force) {
        return new IngestOptions(true, skipCorruptFiles, force);
    }
}
