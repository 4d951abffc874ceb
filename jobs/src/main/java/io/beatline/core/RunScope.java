package io.beatline.core;

/**
 * What the jobs of one command share while they run, kept on its {@link JobContext} (nothing of
 * it is static): how deep the running job is nested ({@code run} and the stages it runs). The
 * outermost job holds the lake's {@link LakeLock} for all of them.
 */
public final class RunScope {

    private int depth;

    /** A job starts; true when it is the outermost one (it takes the lock). */
    boolean enter() {
        return depth++ == 0;
    }

    /** The job that entered last has finished. */
    void exit() {
        depth--;
    }
}
