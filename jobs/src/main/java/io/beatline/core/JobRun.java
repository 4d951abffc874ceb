package io.beatline.core;

import java.time.Instant;
import java.time.LocalDate;

/** One row of the run log. */
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
        String inputs) {
}
