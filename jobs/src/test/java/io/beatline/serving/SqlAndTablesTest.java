package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.core.JobContext;
import io.beatline.core.Lake;
import io.beatline.core.TableSpec;
import io.beatline.ingest.SilverEvents;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code beatline sql} and {@code beatline tables} over a lake of four hand-made events, and the
 * table and column comments every write leaves in the Delta metadata:
 *
 * <pre>
 *   e1 u1 login       2026-03-10     e3 u2 login       2026-03-10
 *   e2 u1 run_report  2026-03-10     e4 u1 login       2026-03-11 (landed 2026-03-11)
 * </pre>
 * so silver_events has 4 rows: login 3 (u1 2, u2 1), run_report 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlAndTablesTest {

    @TempDir
    static Path dir;
    TestLake lake;

    /** Once for the class: the tests only read, but for the one that writes a table of its own. */
    @BeforeAll
    void landAndIngest() {
        lake = new TestLake(dir);
        lake.landEvents(LocalDate.parse("2026-03-10"), "a.jsonl",
                event("e1", "u1", "login", "2026-03-10T09:00:00Z"),
                event("e2", "u1", "run_report", "2026-03-10T09:05:00Z"),
                event("e3", "u2", "login", "2026-03-10T10:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-11"), "b.jsonl", event("e4", "u1", "login", "2026-03-11T08:00:00Z"));
        for (String date : List.of("2026-03-10", "2026-03-11")) {
            Cli ingest = Cli.run(lake.cliArgs(List.of("ingest-events", "--date", date)));
            assertEquals(0, ingest.exitCode(), ingest.err());
        }
    }

    private static String event(String id, String user, String name, String ts) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"" + name + "\",\"user_id\":\"" + user + "\",\"timestamp\":\"" + ts + "\"}";
    }

    @Test
    void sqlPrintsAnAlignedTableCsvAndJson() {
        String query = "SELECT event, count(*) AS events, count(DISTINCT user_id) AS users FROM silver_events GROUP BY event ORDER BY event";
        Cli table = Cli.run(lake.cliArgs(List.of("sql", query)));
        assertEquals(0, table.exitCode(), table.err());
        assertEquals("""
                event      | events | users
                -----------+--------+------
                login      |      3 |     2
                run_report |      1 |     1
                (2 rows)
                """, table.out());

        Cli csv = Cli.run(lake.cliArgs(List.of("sql", query, "--format", "csv")));
        assertEquals("event,events,users\nlogin,3,2\nrun_report,1,1\n", csv.out());

        Cli json = Cli.run(lake.cliArgs(List.of("sql", "SELECT event_id, user_id FROM silver_events WHERE event_date = DATE'2026-03-11'",
                "--format", "json")));
        assertEquals("{\"event_id\":\"e4\",\"user_id\":\"u1\"}\n", json.out());

        Cli cut = Cli.run(lake.cliArgs(List.of("sql", "SELECT event_id FROM silver_events ORDER BY event_id", "--max-rows", "2")));
        assertTrue(cut.out().endsWith("e1\ne2\n(first 2 rows; --max-rows 0 prints all)\n"), cut.out());
    }

    @Test
    void aBadQueryExitsWithTwoAndSparksMessage() {
        Cli unknownTable = Cli.run(lake.cliArgs(List.of("sql", "SELECT * FROM no_such_table")));
        assertEquals(2, unknownTable.exitCode());
        assertTrue(unknownTable.err().contains("the query failed") && unknownTable.err().contains("no_such_table"), unknownTable.err());
        assertFalse(unknownTable.err().contains("\tat "), "no stack trace: " + unknownTable.err());

        Cli syntax = Cli.run(lake.cliArgs(List.of("sql", "SELEC event FROM silver_events")));
        assertEquals(2, syntax.exitCode());
        assertTrue(syntax.err().contains("PARSE_SYNTAX_ERROR"), syntax.err());

        Cli format = Cli.run(lake.cliArgs(List.of("sql", "SELECT 1", "--format", "xml")));
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("'xml' is not a format"), format.err());
    }

    @Test
    void tablesListsRowsVersionLatestDateAndTheRunThatWrote() {
        Cli tables = Cli.run(lake.cliArgs(List.of("tables")));
        assertEquals(0, tables.exitCode(), tables.err());
        String events = tables.out().lines().filter(line -> line.startsWith("silver_events ")).findFirst().orElseThrow();
        assertTrue(events.matches("silver_events +silver/events +4 +1 +event_date 2026-03-11 +ingest-events 2026-03-11 run [0-9a-f-]{36}"),
                events);
        String engagement = tables.out().lines().filter(line -> line.startsWith("user_engagement ")).findFirst().orElseThrow();
        assertTrue(engagement.contains("(not written yet)"), engagement);
    }

    @Test
    void everyWriteLeavesTheGrainAndTheColumnWordsInTheDeltaMetadata() {
        Row detail = TestSpark.session().sql("DESCRIBE DETAIL delta.`" + new Lake(lake.lake.toString()).path(SilverEvents.TABLE) + "`")
                .select("description").first();
        assertEquals("one row per accepted event", detail.getString(0));
        StructType schema = lake.table(SilverEvents.TABLE).schema();
        assertEquals(SilverEvents.TABLE.description("event_id"), schema.apply("event_id").getComment().get());
        assertEquals("the end user; null for an anonymous event", schema.apply("user_id").getComment().get());
    }

    /** A first write killed before its commit leaves data files and no _delta_log; the rerun creates the table over them. */
    @Test
    void aFolderLeftByAKilledFirstWriteDoesNotStopTheRerun() throws java.io.IOException {
        TableSpec table = new TableSpec("gold", "killed_table",
                new StructType().add("as_of_date", DataTypes.DateType, false, "the date")
                        .add("value", DataTypes.LongType, true, "a value"),
                List.of("as_of_date"), List.of("as_of_date"), "one row per date");
        JobContext context = lake.context();
        Path folder = Path.of(context.store().lake().path(table)).resolve("as_of_date=2026-03-10");
        java.nio.file.Files.createDirectories(folder);
        java.nio.file.Files.writeString(folder.resolve("part-00000-uncommitted.c000.snappy.parquet"), "half a file");
        StructType bare = new StructType().add("as_of_date", DataTypes.DateType).add("value", DataTypes.LongType);
        long written = context.store().replace(table, TestSpark.session().createDataFrame(
                List.of(RowFactory.create(java.sql.Date.valueOf("2026-03-10"), 7L)), bare), "as_of_date = DATE'2026-03-10'");
        assertEquals(1, written);
        assertEquals(List.of(7L), lake.table(table).select("value").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
        assertEquals("a value", lake.table(table).schema().apply("value").getComment().get());
        assertEquals("one row per date",
                TestSpark.session().sql("DESCRIBE DETAIL delta.`" + context.store().lake().path(table) + "`")
                        .select("description").first().getString(0));
    }

    @Test
    void aTableWrittenWithoutCommentsGetsThemAtItsNextWrite() {
        TableSpec table = new TableSpec("gold", "old_table",
                new StructType().add("as_of_date", DataTypes.DateType, false, "the date")
                        .add("value", DataTypes.LongType, true, "a value"),
                List.of("as_of_date"), List.of("as_of_date"), "one row per date");
        JobContext context = lake.context();
        String path = context.store().lake().path(table);
        StructType bare = new StructType().add("as_of_date", DataTypes.DateType).add("value", DataTypes.LongType);
        TestSpark.session().createDataFrame(List.of(RowFactory.create(java.sql.Date.valueOf("2026-03-10"), 1L)), bare)
                .write().format("delta").partitionBy("as_of_date").save(path);
        assertTrue(lake.table(table).schema().apply("value").getComment().isEmpty());

        context.store().replace(table, TestSpark.session().createDataFrame(
                List.of(RowFactory.create(java.sql.Date.valueOf("2026-03-11"), 2L)), bare), "as_of_date = DATE'2026-03-11'");
        assertEquals("a value", lake.table(table).schema().apply("value").getComment().get());
        assertEquals("one row per date",
                TestSpark.session().sql("DESCRIBE DETAIL delta.`" + path + "`").select("description").first().getString(0));
        assertEquals(2, lake.table(table).count());
        long version = lake.version(table);
        context.store().replace(table, TestSpark.session().createDataFrame(
                List.of(RowFactory.create(java.sql.Date.valueOf("2026-03-11"), 2L)), bare), "as_of_date = DATE'2026-03-11'");
        assertEquals(version + 1, lake.version(table), "words that agree cost no commit, only the write's own");
    }
}
