package io.beatline.core;

import java.time.Instant;
import java.time.LocalDate;

/** One row of the run log; {@code lineage} is {@link Lineage.Recording#json}. */
public record JobRun(
        String runId,
        String job,
        LocalDate date,
        Instant startedAt,
        Instant finishedAt,
        String status,
        RowCounts counts,
        String message,
        String configHash,
        String version,
        String inputs,
        String lineage) {

    /** A row without lineage (a part's row, a row written for a run that was interrupted). */
    public JobRun(String runId, String job, LocalDate date, Instant startedAt, Instant finishedAt, String status, RowCounts counts,
                  String message, String configHash, String version, String inputs) {
        this(runId, job, date, startedAt, finishedAt, status, counts, message, configHash, version, inputs, null);
    }
}
