package io.beatline.core;

/** What a job did with rows: read, written, counted as duplicates, quarantined. */
public record RowCounts(long read, long written, long duplicate, long quarantined) {

    public static final RowCounts NONE = new RowCounts(0, 0, 0, 0);

    public static RowCounts written(long written) {
        return new RowCounts(0, written, 0, 0);
    }

    public RowCounts plus(RowCounts other) {
        return new RowCounts(read + other.read, written + other.written,
                duplicate + other.duplicate, quarantined + other.quarantined);
    }
}
