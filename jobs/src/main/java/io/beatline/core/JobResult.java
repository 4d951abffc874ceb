package io.beatline.core;

/** What a job reports when it succeeds: its row counts and a one-line summary. */
public record JobResult(RowCounts counts, String message) {
}
