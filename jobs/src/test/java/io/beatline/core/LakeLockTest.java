package io.beatline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.testing.TestLake;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One job per lake: a lock held by a live job stops a second one; one left by a killed process is taken over. */
class LakeLockTest {

    @TempDir
    Path dir;
    TestLake lake;
    Path lock;

    @BeforeEach
    void setUp() throws Exception {
        lake = new TestLake(dir);
        lock = lake.lake.resolve("meta/_beatline.lock");
        Files.createDirectories(lock.getParent());
    }

    /** A stage that succeeds on an empty lake: its run-log rows are job {@code activity}. */
    Cli activity() {
        return Cli.run(lake.cliArgs(List.of("activity")));
    }

    static String host() throws Exception {
        return InetAddress.getLocalHost().getHostName();
    }

    @Test
    void aLiveJobsLockStopsTheSecondJobWithExitOneAndARunLogRow() throws Exception {
        // this test JVM stands for the other job: it is alive
        String holder = "job run 2026-03-10, process " + ProcessHandle.current().pid() + " on " + host() + ", since now\n";
        Files.writeString(lock, holder);
        Cli second = activity();
        assertEquals(1, second.exitCode(), second.err());
        assertTrue(second.err().contains("Another beatline job is working on the lake"), second.err());
        assertTrue(second.err().contains("job run 2026-03-10, process " + ProcessHandle.current().pid()), second.err());
        assertEquals(holder, Files.readString(lock), "the other job's lock is left alone");
        List<Row> runs = lake.table(PipelineRuns.TABLE).filter("job = 'activity'").collectAsList();
        assertEquals(1, runs.size());
        assertEquals("failed", runs.get(0).getAs("status"));

        Files.writeString(lock, "job run 2026-03-10, process 1 on some-other-host, since now\n");
        Cli otherHost = activity();
        assertEquals(1, otherHost.exitCode());
        assertTrue(otherHost.err().contains("delete " ), otherHost.err());
    }

    @Test
    void aLockLeftByAKilledProcessIsTakenOverAndReleased() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(lock, "job run 2026-03-10, process " + gone.pid() + " on " + host() + ", since then\n");
        Cli run = activity();
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(Files.exists(lock), "released after the job");
    }
}
