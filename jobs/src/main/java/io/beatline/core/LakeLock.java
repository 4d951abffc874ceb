package io.beatline.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One beatline job per lake at a time: a lock file {@code <lake>/meta/_beatline.lock}, created
 * only if absent, naming the holder (job, date, host, process). A second job finds it and stops
 * with exit code 1 before touching a table. Jobs nested in one command ({@code run} and its
 * stages) share the lock: the outermost takes it (core/JobRunner). A lock left by a process
 * that was killed on this host is taken over; one from another host must be removed by hand
 * once that job is known to be gone. On a local file system the create is the operating
 * system's atomic create-new, on HDFS the name node's; on S3 it is a check then a write, so two
 * jobs started within the same moment may both pass: there the scheduler's one-run-at-a-time
 * rule (Airflow's max_active_runs=1) is the guarantee.
 */
public final class LakeLock {

    private static final Logger LOG = LoggerFactory.getLogger(LakeLock.class);

    private LakeLock() {
    }

    /** Takes the lake's lock for {@code job}; call {@link #release} after. */
    public static synchronized void acquire(SparkSession spark, Lake lake, String job, String date) {
        Path path = path(lake);
        String holder = "job " + job + " " + date + ", process " + ProcessHandle.current().pid() + " on " + host()
                + ", since " + Instant.now();
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!tryCreate(fs, path, holder)) {
                String other = read(fs, path);
                if (!heldByDeadProcessHere(other)) {
                    throw BeatlineException.jobFailure("Another beatline job is working on the lake " + lake.root()
                            + " (" + other.strip() + "). beatline runs one job per lake at a time: wait for it and run this"
                            + " again. If that job is gone (its host was lost), delete " + path + " and rerun.", null);
                }
                LOG.warn("Taking over the lake lock {} from a process that is no longer running ({})", path, other.strip());
                takeOver(fs, path, other, holder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the lake lock " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a dead holder's lock with this job's. Two jobs may both have seen the dead holder:
     * on a local file system they take turns under an operating-system lock on
     * {@code _beatline.lock.takeover} (the kernel drops it if its process dies), and the second
     * finds the first's line in the lock and stops; before, the second deleted the first's fresh
     * lock and both ran. Elsewhere the job whose line ends up in the file holds it.
     */
    private static void takeOver(FileSystem fs, Path path, String dead, String holder) throws IOException {
        if (fs instanceof LocalFileSystem local) {
            java.nio.file.Path guard = local.pathToFile(path.suffix(".takeover")).toPath();
            try (FileChannel channel = FileChannel.open(guard, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock turn = channel.lock()) {
                if (read(fs, path).equals(dead)) {
                    fs.delete(path, false);
                }
                if (!tryCreate(fs, path, holder)) {
                    throw tookAtTheSameMoment(fs, path);
                }
            }
            return;
        }
        fs.delete(path, false);
        if (!tryCreate(fs, path, holder) || !read(fs, path).strip().equals(holder)) {
            throw tookAtTheSameMoment(fs, path);
        }
    }

    private static BeatlineException tookAtTheSameMoment(FileSystem fs, Path path) throws IOException {
        return BeatlineException.jobFailure("Another beatline job took the lake lock " + path
                + " at the same moment (" + read(fs, path).strip() + "); wait for it and run this again.", null);
    }

    public static synchronized void release(SparkSession spark, Lake lake) {
        Path path = path(lake);
        try {
            path.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(path, false);
        } catch (IOException e) {
            LOG.warn("Could not remove the lake lock {}: {}; the next job on this host takes it over", path, e.getMessage());
        }
    }

    static Path path(Lake lake) {
        return new Path(lake.root() + "/meta/_beatline.lock");
    }

    private static boolean tryCreate(FileSystem fs, Path path, String holder) throws IOException {
        byte[] content = (holder + "\n").getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem local) {
            // Hadoop's local create(path, false) checks, then creates: two processes can both pass.
            // CREATE_NEW is one atomic step of the operating system.
            java.nio.file.Path file = local.pathToFile(path).toPath();
            java.nio.file.Files.createDirectories(file.getParent());
            try {
                java.nio.file.Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(path, false)) {
            out.write(content);
            return true;
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.ParentNotDirectoryException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(path)) { // some file systems say "exists" with a plain IOException
                return false;
            }
            throw e;
        }
    }

    /** The holder line; waits a moment for it when the file was created but not yet written. */
    private static String read(FileSystem fs, Path path) throws IOException {
        String holder = "";
        for (int attempt = 0; attempt < 10 && holder.isBlank(); attempt++) {
            try (InputStream in = fs.open(path)) {
                holder = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.FileNotFoundException e) {
                return "released meanwhile";
            }
            if (holder.isBlank()) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return holder.isBlank() ? "a job that is starting" : holder;
    }

    /** "process 123 on host-a": true when host-a is this host and process 123 is not running. */
    private static boolean heldByDeadProcessHere(String holder) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("process (\\d+) on (\\S+?),").matcher(holder);
        if (!m.find() || !m.group(2).equals(host())) {
            return false;
        }
        long pid = Long.parseLong(m.group(1));
        return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
