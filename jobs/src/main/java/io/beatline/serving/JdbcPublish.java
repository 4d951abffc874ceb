package io.beatline.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.accounts.AccountKpis;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentChanges;
import io.beatline.segments.SegmentMembership;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructField;

/**
 * {@code beatline publish-jdbc} (SPEC 3.6): the current gold rows of an as-of date D into a
 * PostgreSQL schema, for BI tools that only know a database: the user_engagement, account_kpis,
 * metric_values and segment_membership partitions of D and the segment_changes of D-89..D. Each
 * table is first written whole to a staging table (by Spark's JDBC writer, from the executors),
 * then all of them are swapped in one transaction with their primary keys and comments, so a
 * dashboard sees the previous publish or this one, never half of one. {@code <schema>.beatline_published}
 * says which date each table holds. Credentials come from BEATLINE_JDBC_USER and
 * BEATLINE_JDBC_PASSWORD (or the URL) and are never printed: messages name the URL without them.
 */
public final class JdbcPublish {

    public static final String JOB = "publish-jdbc";
    /** segment_changes goes out for the last this many days. */
    public static final int CHANGES_DAYS = 90;

    private static final String STAGING = "__beatline_staging";

    private final JobContext context;

    public JdbcPublish(JobContext context) {
        this.context = context;
    }

    /** The rows of D to publish, by table. */
    Map<TableSpec, Dataset<Row>> rowsOf(LocalDate asOf) {
        Map<TableSpec, Dataset<Row>> tables = new LinkedHashMap<>();
        Column onD = col("as_of_date").equalTo(lit(Date.valueOf(asOf)));
        for (TableSpec table : List.of(UserEngagement.TABLE, AccountKpis.TABLE, MetricValues.TABLE, SegmentMembership.TABLE)) {
            tables.put(table, context.store().read(table).filter(onD));
        }
        tables.put(SegmentChanges.TABLE, context.store().read(SegmentChanges.TABLE)
                .filter(col("as_of_date").between(lit(Date.valueOf(asOf.minusDays(CHANGES_DAYS - 1L))), lit(Date.valueOf(asOf)))));
        return tables;
    }

    public JobResult publish(String url, String schema, LocalDate asOf) {
        String shownUrl = redact(url);
        return JobRunner.run(context, JOB, asOf, runId -> {
            Map<TableSpec, Dataset<Row>> tables = rowsOf(asOf);
            if (tables.get(UserEngagement.TABLE).isEmpty()) {
                throw BeatlineException.inputMissing("user_engagement has no rows for " + asOf
                        + ": run `beatline run --as-of " + asOf + "` first");
            }
            Properties properties = connectionProperties();
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                }
                // 1. every table whole into its staging table, outside any transaction readers see
                for (Map.Entry<TableSpec, Dataset<Row>> table : tables.entrySet()) {
                    table.getValue().coalesce(2).write().mode(SaveMode.Overwrite)
                            .option("driver", "org.postgresql.Driver").option("batchsize", "5000")
                            .jdbc(url, schema + "." + table.getKey().sqlName() + STAGING, properties);
                }
                // 2. one transaction swaps them all in
                Map<String, Long> published = swap(connection, schema, tables.keySet(), asOf);
                long total = published.values().stream().mapToLong(Long::longValue).sum();
                List<String> parts = new ArrayList<>();
                published.forEach((name, rows) -> parts.add(name + " " + rows));
                return new JobResult(RowCounts.written(total), "published " + asOf + " to " + shownUrl + " schema " + schema
                        + ": " + String.join(", ", parts));
            } catch (SQLException e) {
                throw BeatlineException.jobFailure("publishing to " + shownUrl + " failed: " + e.getMessage(), e);
            }
        });
    }

    private Map<String, Long> swap(Connection connection, String schema, Iterable<TableSpec> tables, LocalDate asOf)
            throws SQLException {
        Map<String, Long> published = new LinkedHashMap<>();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + schema + ".beatline_published (table_name text PRIMARY KEY,"
                    + " as_of_date date NOT NULL, rows_published bigint NOT NULL, published_at timestamptz NOT NULL)");
            for (TableSpec table : tables) {
                String name = table.sqlName();
                statement.execute("DROP TABLE IF EXISTS " + schema + "." + name);
                statement.execute("ALTER TABLE " + schema + "." + name + STAGING + " RENAME TO " + name);
                statement.execute("ALTER TABLE " + schema + "." + name + " ADD PRIMARY KEY (" + String.join(", ", table.key()) + ")");
                statement.execute("COMMENT ON TABLE " + schema + "." + name + " IS " + literal(table.grain()));
                for (StructField field : table.schema().fields()) {
                    statement.execute("COMMENT ON COLUMN " + schema + "." + name + "." + field.name() + " IS "
                            + literal(table.description(field.name())));
                }
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM " + schema + "." + name)) {
                    count.next();
                    published.put(name, count.getLong(1));
                }
            }
            try (PreparedStatement log = connection.prepareStatement("INSERT INTO " + schema + ".beatline_published"
                    + " VALUES (?, ?, ?, now()) ON CONFLICT (table_name) DO UPDATE SET as_of_date = EXCLUDED.as_of_date,"
                    + " rows_published = EXCLUDED.rows_published, published_at = EXCLUDED.published_at")) {
                for (Map.Entry<String, Long> table : published.entrySet()) {
                    log.setString(1, table.getKey());
                    log.setDate(2, Date.valueOf(asOf));
                    log.setLong(3, table.getValue());
                    log.addBatch();
                }
                log.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        return published;
    }

    /** User and password from the environment, when set; the URL may carry them instead. */
    static Properties connectionProperties() {
        Properties properties = new Properties();
        String user = System.getenv("BEATLINE_JDBC_USER");
        String password = System.getenv("BEATLINE_JDBC_PASSWORD");
        if (user != null && !user.isBlank()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    /** The URL without what may be a secret: its query ({@code ?user=..&password=..}) and any {@code user:password@}. */
    public static String redact(String url) {
        String shown = url.replaceAll("//[^/@]*@", "//");
        int query = shown.indexOf('?');
        return query < 0 ? shown : shown.substring(0, query);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
