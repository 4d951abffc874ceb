package io.beatline.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent pieces of a job a few at a time on one SparkSession. Many of beatline's Spark
 * jobs are small, and their time is mostly the driver's (a Delta snapshot, planning, a commit),
 * while the executors wait: a few at once keep both busy. Spark schedules the jobs of several
 * threads side by side; each piece must write tables no other piece writes.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * The results of {@code tasks}, in their order, at most {@code threads} running at once. Every
     * task has ended when this returns or throws (unless the calling thread is interrupted), so
     * nothing writes after the job that called it (and its lake lock) is done; a failure is
     * rethrown once all have ended, with the others' failures suppressed in it.
     */
    public static <T> List<T> run(List<Callable<T>> tasks, int threads, String what) {
        if (tasks.size() <= 1 || threads <= 1) {
            List<T> results = new ArrayList<>();
            for (Callable<T> task : tasks) {
                results.add(call(task, what));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()));
        try {
            List<Future<T>> futures = new ArrayList<>();
            tasks.forEach(task -> futures.add(pool.submit(task)));
            List<T> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = unwrap(e.getCause(), what);
                    if (failure == null) {
                        failure = cause;
                    } else if (failure != cause) {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new IllegalStateException("interrupted while " + what, e);
        } finally {
            pool.shutdown();
        }
    }

    private static <T> T call(Callable<T> task, String what) {
        try {
            return task.call();
        } catch (Exception e) {
            throw unwrap(e, what);
        }
    }

    /** Spark throws checked exceptions undeclared: those are wrapped, runtime ones kept as they are. */
    private static RuntimeException unwrap(Throwable error, String what) {
        if (error instanceof RuntimeException runtime) {
            return runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new IllegalStateException(what + " failed: " + error, error);
    }
}
