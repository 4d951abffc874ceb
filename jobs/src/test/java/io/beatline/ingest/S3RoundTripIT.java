package io.beatline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.core.PipelineRuns;
import io.beatline.testing.BeatlineProcesses;
import io.beatline.testing.TestSpark;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jobs against object storage: an S3-compatible server (S3Proxy, in memory) on
 * loopback; data generated into one bucket, ingested into a lake in another, over s3a://.
 */
class S3RoundTripIT {

    private static final String ACCESS_KEY = "beatline-test-access";
    private static final String SECRET_KEY = "beatline-test-secret-do-not-log";

    private static S3Proxy proxy;
    private static BlobStoreContext blobs;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        blobs = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY).build(BlobStoreContext.class);
        BlobStore store = blobs.getBlobStore();
        store.createContainerInLocation(null, "raw-bucket");
        store.createContainerInLocation(null, "lake-bucket");
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
        assertEquals("STARTED", proxy.getState());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        if (blobs != null) {
            blobs.close();
        }
    }

    @Test
    void generatesIngestsAndReadsBackBucketToBucket() throws Exception {
        TestSpark.session();
        Path config = s3Config("beatline", "lake");
        List<String> secrets = List.of("--conf", "s3.access-key=" + ACCESS_KEY, "--conf", "s3.secret-key=" + SECRET_KEY);

        Cli generated = Cli.run(concat(List.of("generate-data", "--config", config.toString(), "--out",
                "s3a://raw-bucket/beatline", "--users", "30", "--accounts", "3", "--days", "2", "--events-per-day", "200",
                "--end-date", "2026-04-02"), secrets));
        assertEquals(0, generated.exitCode(), generated.err());

        Cli run = Cli.run(concat(List.of("run", "--as-of", "2026-04-02", "--config", config.toString()), secrets));
        assertEquals(0, run.exitCode(), run.err());
        assertFalse((run.out() + run.err() + generated.out() + generated.err()).contains(SECRET_KEY), "secret printed");

        var spark = TestSpark.session();
        long events = spark.read().format("delta").load("s3a://lake-bucket/lake/silver/events").count();
        assertTrue(events > 300, "events read back from s3a: " + events);
        Row ingest = spark.read().format("delta").load("s3a://lake-bucket/lake/meta/pipeline_runs")
                .filter("job = 'ingest-events'").first();
        assertEquals("succeeded", ingest.getAs("status"));
        assertEquals(events, (long) ingest.getAs("rows_written"));
        assertEquals((long) ingest.getAs("rows_read"), (long) ingest.getAs("rows_written")
                + (long) ingest.<Long>getAs("rows_duplicate") + (long) ingest.<Long>getAs("rows_quarantined"));
        for (Row row : spark.read().format("delta").load("s3a://lake-bucket/lake/" + PipelineRuns.TABLE.relativePath())
                .collectAsList()) {
            assertFalse(row.toString().contains(SECRET_KEY), "secret in the run log: " + row);
            assertFalse(row.toString().contains(ACCESS_KEY), "access key in the run log: " + row);
        }
    }

    /**
     * Issue 14: the kill test on object storage. `run` in a JVM of its own, over s3a, is killed
     * (SIGKILL) as soon as its ingestion's last commit (meta/ingested_batches) is in the bucket;
     * the rerun must leave silver/events and the run log's ingestion counts as a clean run does.
     */
    @Test
    void aRunKilledAfterItsIngestionOnS3IsRerunToWhatACleanRunLeaves() throws Exception {
        TestSpark.session();
        Path config = s3Config("kill-raw", "unused");
        List<String> secrets = List.of("--conf", "s3.access-key=" + ACCESS_KEY, "--conf", "s3.secret-key=" + SECRET_KEY);
        Cli generated = Cli.run(concat(List.of("generate-data", "--config", config.toString(), "--out",
                "s3a://raw-bucket/kill-raw", "--users", "30", "--accounts", "3", "--days", "3", "--events-per-day", "300",
                "--end-date", "2026-04-03"), secrets));
        assertEquals(0, generated.exitCode(), generated.err());
        List<String> run = List.of("run", "--as-of", "2026-04-03", "--config", config.toString());

        Cli clean = Cli.run(concat(run, concat(List.of("--conf", "lake=\"s3a://lake-bucket/clean\""), secrets)).toArray(String[]::new));
        assertEquals(0, clean.exitCode(), clean.err());

        List<String> command = new ArrayList<>(BeatlineProcesses.javaCommand("io.beatline.cli.Beatline"));
        command.addAll(run);
        command.addAll(List.of("--conf", "lake=\"s3a://lake-bucket/killed\""));
        command.addAll(secrets);
        Path log = dir.resolve("killed.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(BeatlineProcesses.ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process killed = builder.start();
        String commit = "killed/meta/ingested_batches/_delta_log/00000000000000000000.json";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!blobs.getBlobStore().blobExists("lake-bucket", commit) && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(killed.isAlive(), "the run ended before it could be killed: " + Files.readString(log));
        killed.destroyForcibly();
        killed.waitFor();

        Cli rerun = Cli.run(concat(run, concat(List.of("--conf", "lake=\"s3a://lake-bucket/killed\""), secrets)).toArray(String[]::new));
        assertEquals(0, rerun.exitCode(), rerun.err());
        var spark = TestSpark.session();
        for (String table : List.of("silver/events", "silver/events_quarantine", "gold/user_engagement")) {
            assertEquals(rows("s3a://lake-bucket/clean/" + table), rows("s3a://lake-bucket/killed/" + table), table);
        }
        String counts = "SELECT job, sum(rows_read), sum(rows_written), sum(rows_duplicate), sum(rows_quarantined) FROM delta.`%s`"
                + " WHERE job LIKE 'ingest-%%' AND status IN ('succeeded', 'interrupted') GROUP BY job ORDER BY job";
        assertEquals(spark.sql(String.format(counts, "s3a://lake-bucket/clean/meta/pipeline_runs")).collectAsList().toString(),
                spark.sql(String.format(counts, "s3a://lake-bucket/killed/meta/pipeline_runs")).collectAsList().toString(),
                "the run log's ingestion counts");
    }

    /** A config with raw = s3a://raw-bucket/<raw> and lake = s3a://lake-bucket/<lake>, the endpoint the proxy's. */
    private Path s3Config(String raw, String lake) throws Exception {
        Path config = dir.resolve("s3.conf");
        Files.writeString(config, String.join("\n",
                "raw = \"s3a://raw-bucket/" + raw + "\"",
                "lake = \"s3a://lake-bucket/" + lake + "\"",
                "s3 {",
                "  endpoint = \"http://127.0.0.1:" + proxy.getPort() + "\"",
                "  path-style-access = true",
                "  ssl-enabled = false",
                "}",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }",
                ""));
        return config;
    }

    /** A table's rows as sorted text, without the columns that name a run or a file. */
    private static List<String> rows(String path) {
        return TestSpark.session().read().format("delta").load(path).drop("run_id", "source_file").collectAsList().stream()
                .map(Row::toString).sorted().toList();
    }

    private static String[] concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toArray(String[]::new);
    }

    private static List<String> concat(List<String> first, String[] second) {
        return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(second)).toList();
    }
}
