package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.beatline.accounts.AccountKpis;
import io.beatline.cli.Cli;
import io.beatline.core.JobContext;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.metrics.MetricDefinitions;
import io.beatline.segments.SegmentMembership;
import io.beatline.testing.BeatlineProcesses;
import io.beatline.testing.SampleLake;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Trino server (476, Delta Lake connector) started on loopback by the shipped
 * {@code scripts/trino start} over the sample lake, the tables published by {@code beatline
 * publish-catalog}, and Trino's answers compared with Spark's: schemas, table and column
 * comments, every table's row count, and three aggregates a CS dashboard shows. It needs a Java
 * 22 or newer for the server (the script finds one); without one it fails with the script's
 * message saying how to get one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrinoIT {

    TestLake lake;
    int port;
    Path home;
    String url;

    @BeforeAll
    void startTrino() throws Exception {
        lake = SampleLake.get();
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        home = Files.createTempDirectory("beatline-trino");
        url = "jdbc:trino://127.0.0.1:" + port;
        List<String> start = new ArrayList<>(List.of(BeatlineProcesses.ROOT.resolve("scripts/trino").toString(), "start"));
        start.addAll(SampleLake.configArgs(lake));
        long started = System.nanoTime();
        String output = script(start, 20);
        System.out.printf("TrinoIT: scripts/trino start took %.1f s%n%s%n", (System.nanoTime() - started) / 1e9, output);
    }

    @AfterAll
    void stopTrino() throws Exception {
        if (home == null) {
            return;
        }
        script(List.of(BeatlineProcesses.ROOT.resolve("scripts/trino").toString(), "stop"), 2);
        Path pid = home.resolve("data/var/run/launcher.pid");
        String pidText = Files.exists(pid) ? Files.readString(pid).trim() : "";
        if (!pidText.isEmpty()) { // the launcher did not stop it: make sure no server outlives the test
            ProcessHandle.of(Long.parseLong(pidText)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Runs scripts/trino with this test's port and home; fails the test with its output when it fails. */
    private String script(List<String> command, int minutes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BEATLINE_TRINO_PORT", String.valueOf(port));
        builder.environment().put("BEATLINE_TRINO_HOME", home.toString());
        builder.environment().put("BEATLINE_TRINO_HEAP", "1G");
        builder.environment().put("BEATLINE_CDS", "0");
        Path log = Files.createTempFile(home, "script", ".log");
        Process process = builder.redirectOutput(log.toFile()).start();
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail(command + " did not finish in " + minutes + " min:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        if (process.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private Connection trino() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "beatline-test");
        return DriverManager.getConnection(url, properties);
    }

    private static List<List<String>> rows(Statement statement, String query) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private List<TableSpec> lakeTables() {
        JobContext context = lake.context();
        return LakeTables.all().stream().filter(table -> context.store().exists(table)).toList();
    }

    private Cli publish() {
        List<String> args = new ArrayList<>(List.of("publish-catalog", "--url", url));
        args.addAll(SampleLake.configArgs(lake));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void theCatalogMatchesSparkTableForTableAndAnswersTheSameAggregates() throws Exception {
        List<TableSpec> tables = lakeTables();
        assertEquals(LakeTables.all().size(), tables.size(), "the sample lake has every table");

        Cli first = publish();
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains(tables.size() + " tables registered, 0 already registered"), first.out());
        Cli again = publish();
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("0 tables registered, " + tables.size() + " already registered"), again.out());
        // a run with catalog.trino.url set publishes at its end (here a no-op run: the catalog keys are not in the config hash)
        List<String> run = new ArrayList<>(List.of("run", "--as-of", "2026-06-30"));
        run.addAll(SampleLake.configArgs(lake));
        run.addAll(List.of("--conf", "catalog.trino.url=\"" + url + "\""));
        Cli daily = Cli.run(run.toArray(String[]::new));
        assertEquals(0, daily.exitCode(), daily.err());
        assertTrue(daily.out().contains("nothing landed and no table, setting or version changed"), daily.out());
        assertTrue(daily.out().contains("publish-catalog: Trino delta.beatline: 0 tables registered, " + tables.size()
                + " already registered"), daily.out());

        try (Connection connection = trino(); Statement statement = connection.createStatement()) {
            assertTrue(rows(statement, "SHOW SCHEMAS FROM delta").contains(List.of("beatline")));
            TreeSet<String> names = new TreeSet<>();
            rows(statement, "SHOW TABLES FROM delta.beatline").forEach(row -> names.add(row.get(0)));
            assertEquals(new TreeSet<>(tables.stream().map(TableSpec::sqlName).toList()), names);

            for (TableSpec table : tables) {
                String name = table.sqlName();
                assertEquals(List.of(List.of(table.grain())), rows(statement, "SELECT comment FROM system.metadata.table_comments"
                        + " WHERE catalog_name = 'delta' AND schema_name = 'beatline' AND table_name = '" + name + "'"), name);
                Map<String, String> comments = new TreeMap<>();
                rows(statement, "DESCRIBE delta.beatline." + name).forEach(row -> comments.put(row.get(0), row.get(3)));
                for (StructField field : table.schema().fields()) {
                    assertEquals(table.description(field.name()), comments.get(field.name()), name + "." + field.name());
                }
                assertEquals(String.valueOf(lake.table(table).count()),
                        rows(statement, "SELECT count(*) FROM delta.beatline." + name).get(0).get(0), name + " rows");
            }

            // lifecycle counts, members by segment, MRR: what a CS dashboard's first tiles show
            String d = "DATE '2026-06-30'";
            assertEquals(spark("SELECT lifecycle, CAST(count(*) AS STRING) FROM user_engagement WHERE as_of_date = " + d
                            + " GROUP BY lifecycle ORDER BY lifecycle", UserEngagement.TABLE),
                    rows(statement, "SELECT lifecycle, CAST(count(*) AS varchar) FROM delta.beatline.user_engagement"
                            + " WHERE as_of_date = " + d + " GROUP BY lifecycle ORDER BY lifecycle"));
            assertEquals(spark("SELECT segment_id, CAST(count(*) AS STRING) FROM segment_membership WHERE as_of_date = " + d
                            + " GROUP BY segment_id ORDER BY segment_id", SegmentMembership.TABLE),
                    rows(statement, "SELECT segment_id, CAST(count(*) AS varchar) FROM delta.beatline.segment_membership"
                            + " WHERE as_of_date = " + d + " GROUP BY segment_id ORDER BY segment_id"));
            double sparkMrr = lake.table(AccountKpis.TABLE).filter("as_of_date = " + d).agg(org.apache.spark.sql.functions.sum("mrr"))
                    .first().getDouble(0);
            double trinoMrr = Double.parseDouble(rows(statement, "SELECT sum(mrr) FROM delta.beatline.account_kpis WHERE as_of_date = " + d)
                    .get(0).get(0));
            assertTrue(sparkMrr > 0);
            assertEquals(sparkMrr, trinoMrr, Math.abs(sparkMrr) * 1e-9, "MRR total");

            // a new Delta version is seen without publishing again
            JobContext context = lake.context();
            List<Row> definitions = lake.table(MetricDefinitions.TABLE).collectAsList();
            context.store().replace(MetricDefinitions.TABLE,
                    TestSpark.session().createDataFrame(definitions, MetricDefinitions.TABLE.schema()), "true");
            assertEquals(List.of(List.of(String.valueOf(lake.version(MetricDefinitions.TABLE)))),
                    rows(statement, "SELECT max(version) FROM delta.beatline.\"metric_definitions$history\""));
        }
    }

    private List<List<String>> spark(String query, TableSpec table) {
        lake.table(table).createOrReplaceTempView(table.sqlName());
        List<List<String>> rows = new ArrayList<>();
        for (Row row : TestSpark.session().sql(query).collectAsList()) {
            rows.add(List.of(row.getString(0), row.getString(1)));
        }
        return rows;
    }
}
