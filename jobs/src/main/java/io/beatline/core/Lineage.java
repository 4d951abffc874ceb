package io.beatline.core;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Which tables, at which versions, the jobs of a process read and wrote: {@link TableStore}
 * reports every read and write here, and each job's {@link Recording} (opened by
 * {@link JobRunner}) keeps what happened while it ran, nested jobs included. The run log keeps
 * it as the job's {@code lineage} (SPEC 3.7, docs/operations.md "Lineage").
 */
public final class Lineage {

    private final List<Recording> open = new CopyOnWriteArrayList<>();

    /** What one job read and wrote, by table path below the lake ({@code gold/user_engagement}). */
    public static final class Recording implements AutoCloseable {
        private final Lineage lineage;
        private final Map<String, Set<Long>> read = new TreeMap<>();
        private final Map<String, Set<Long>> written = new TreeMap<>();

        private Recording(Lineage lineage) {
            this.lineage = lineage;
        }

        private synchronized void add(Map<String, Set<Long>> into, String table, long version) {
            into.computeIfAbsent(table, t -> new TreeSet<>()).add(version);
        }

        /**
         * {@code {"read":{"silver/events":[3]},"written":{"gold/user_daily_activity":[7]}}}: each
         * table with the versions read (a table written earlier in the run is read at its new
         * version too) and the versions its commits made.
         */
        public synchronized String json() {
            return "{\"read\":" + json(read) + ",\"written\":" + json(written) + "}";
        }

        private static String json(Map<String, Set<Long>> tables) {
            return tables.entrySet().stream()
                    .map(entry -> "\"" + entry.getKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\":"
                            + entry.getValue().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")))
                    .collect(Collectors.joining(",", "{", "}"));
        }

        @Override
        public void close() {
            lineage.open.remove(this);
        }
    }

    /** Starts recording for a job; close it when the job ends. */
    public Recording begin() {
        Recording recording = new Recording(this);
        open.add(recording);
        return recording;
    }

    void read(String table, long version) {
        if (version >= 0) {
            open.forEach(recording -> recording.add(recording.read, table, version));
        }
    }

    void written(String table, long version) {
        if (version >= 0) {
            open.forEach(recording -> recording.add(recording.written, table, version));
        }
    }

    boolean recording() {
        return !open.isEmpty();
    }
}
