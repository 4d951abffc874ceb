package io.beatline.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What the jobs of one command share while they run, kept on its {@link JobContext} (nothing of
 * it is static): how deep the running job is nested ({@code run} and the stages it runs), and
 * the run-log rows the nested jobs left for the outermost one to write in one commit. The
 * outermost job holds the lake's {@link LakeLock} for all of them.
 */
public final class RunScope {

    private int depth;
    private final List<JobRun> deferred = new ArrayList<>();

    /** A job starts; true when it is the outermost one (it takes the lock and writes the run log). */
    boolean enter() {
        return depth++ == 0;
    }

    /** The job that entered last has finished. */
    void exit() {
        depth--;
    }

    /** Keeps a job's run-log rows for the outermost job. */
    void defer(List<JobRun> rows) {
        deferred.addAll(rows);
    }

    /** Every row kept so far, in order; the scope keeps none after. */
    List<JobRun> drain() {
        List<JobRun> all = List.copyOf(deferred);
        deferred.clear();
        return all;
    }
}
