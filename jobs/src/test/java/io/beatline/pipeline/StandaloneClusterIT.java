package io.beatline.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.UserDailyActivity;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.SilverEvents;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentHistory;
import io.beatline.segments.SegmentMembership;
import io.beatline.segments.SegmentSummary;
import io.beatline.testing.BeatlineProcesses;
import io.beatline.testing.RecentSamplesLake;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real Spark standalone cluster: a Master and a Worker, each a JVM of its
 * own on loopback, started from the project's Spark jars (a SPARK_HOME whose jars/ links them,
 * as a Spark distribution has), and `run --as-of` submitted with spark-submit's main class in
 * client mode. The tables must equal those of a local-mode run. Every process is stopped at
 * the end, the executors the Worker started included, even when the test fails.
 */
class StandaloneClusterIT {

    static final String AS_OF = RecentSamplesLake.AS_OF;
    static final List<TableSpec> COMPARED = List.of(SilverEvents.TABLE, UserDailyActivity.TABLE, UserEngagement.TABLE,
            AccountKpis.TABLE, MetricValues.TABLE, SegmentMembership.TABLE, SegmentHistory.TABLE, SegmentSummary.TABLE);

    @TempDir
    Path dir;
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly); // executors
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A SPARK_HOME as a distribution lays it out: jars/ (links to the project's Spark jars) and conf/. */
    Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        for (String jar : BeatlineProcesses.sparkJars()) {
            Path source = Path.of(jar);
            Path link = home.resolve("jars").resolve(source.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, source);
            }
        }
        // beatline's own logging, plus the deploy messages this test waits for (master elected, worker registered)
        Files.writeString(home.resolve("conf/log4j2.properties"),
                Files.readString(BeatlineProcesses.ROOT.resolve("conf/log4j2.properties"))
                        + "\nlogger.deploy.name = org.apache.spark.deploy\nlogger.deploy.level = info\n");
        return home;
    }

    Process start(Path home, String name, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(BeatlineProcesses.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", dir.resolve("spark-local").toString());
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    List<String> sparkJava(Path home, String mainClass, String heap) {
        return new ArrayList<>(BeatlineProcesses.java(home.resolve("jars") + "/*", heap,
                home.resolve("conf/log4j2.properties"), mainClass));
    }

    void awaitLog(String name, String text, Process process) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not log '" + text + "':\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    @Test
    void theClusterJarOnAStandaloneClusterWritesWhatALocalRunWrites() throws Exception {
        Path raw = RecentSamplesLake.raw();
        Path home = sparkHome();
        int masterPort = freePort();
        String master = "spark://127.0.0.1:" + masterPort;

        List<String> masterCommand = sparkJava(home, "org.apache.spark.deploy.master.Master", "512m");
        masterCommand.addAll(List.of("--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(freePort())));
        Process masterProcess = start(home, "master", masterCommand);
        awaitLog("master", "I have been elected leader", masterProcess);

        List<String> workerCommand = sparkJava(home, "org.apache.spark.deploy.worker.Worker", "512m");
        workerCommand.addAll(List.of("--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()),
                "--cores", "2", "--memory", "3g", "--work-dir", dir.resolve("work").toString(), master));
        Process worker = start(home, "worker", workerCommand);
        awaitLog("worker", "Successfully registered with master", worker);

        Path lake = dir.resolve("cluster-lake");
        List<String> submit = sparkJava(home, "org.apache.spark.deploy.SparkSubmit", "2g");
        submit.addAll(List.of("--master", master, "--deploy-mode", "client", "--class", "io.beatline.cli.Beatline",
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.executor.memory=2g", "--conf", "spark.cores.max=2", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", BeatlineProcesses.SHORT_JVM_OPTIONS),
                BeatlineProcesses.TARGET.resolve("beatline-jobs-cluster.jar").toString(),
                "run", "--as-of", AS_OF, "--config", BeatlineProcesses.ROOT.resolve("conf/application.conf").toString(),
                "--conf", "raw=\"" + raw + "\"", "--conf", "lake=\"" + lake + "\"",
                "--conf", "spark.conf.\"spark.sql.shuffle.partitions\"=4"));
        Process driver = start(home, "submit", submit);
        assertTrue(driver.waitFor(10, TimeUnit.MINUTES), "the submitted run did not finish in 10 minutes");
        String driverLog = Files.readString(dir.resolve("submit.log"));
        assertEquals(0, driver.exitValue(), driverLog);
        assertTrue(driverLog.contains("segments: "), driverLog);
        String workerLog = Files.readString(dir.resolve("worker.log"));
        assertTrue(workerLog.contains("Asked to launch executor"), "the work ran on the cluster's executor:\n" + workerLog);

        // the local-mode run of the same day, which FaultsIT compares with too
        BeatlineProcesses.assertSameTables(RecentSamplesLake.clean(), lake, COMPARED);
    }
}
