package io.beatline.core;

import java.util.List;

/**
 * What a job reports when it succeeds: its row counts, a one-line summary, optionally the same
 * for each of its parts (e.g. one per CRM entity), each of which gets its own run-log row, and
 * optionally the inputs it saw (see {@link LakeVersions}), kept in the run log.
 */
public record JobResult(RowCounts counts, String message, List<Part> parts, String inputs) {

    /** One part of a job, logged as job {@code <job>:<name>}. */
    public record Part(String name, RowCounts counts, String message) {
    }

    public JobResult {
        parts = List.copyOf(parts);
    }

    public JobResult(RowCounts counts, String message, List<Part> parts) {
        this(counts, message, parts, null);
    }

    public JobResult(RowCounts counts, String message) {
        this(counts, message, List.of());
    }
}
