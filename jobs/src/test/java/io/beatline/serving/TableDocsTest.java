package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.beatline.core.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

/**
 * The words of every column live once, as the StructField comments of each TableSpec (they are
 * what Trino's DESCRIBE and every Delta reader show); docs/tables.md must say the same. A column
 * added without a description fails TableSpec itself; one whose row in docs/tables.md is missing
 * or differs fails here, and target/tables-columns.md holds the rows to paste.
 */
class TableDocsTest {

    static final Path DOCS = Path.of("../docs/tables.md");

    @Test
    void everyTableHasAUniqueSqlNameAGrainAndADescribedColumn() {
        Set<String> names = new HashSet<>();
        for (TableSpec table : LakeTables.all()) {
            assertTrue(names.add(table.sqlName()), "two tables are named " + table.sqlName());
            assertTrue(table.sqlName().matches("[a-z_]+"), table.sqlName());
            for (StructField field : table.schema().fields()) {
                String words = table.description(field.name());
                assertFalse(words.isBlank(), table.name() + "." + field.name());
                assertFalse(words.contains("|") || words.contains("\n"), table.name() + "." + field.name()
                        + ": a description is one line without |, to sit in a markdown table");
            }
        }
        assertEquals("user_engagement", LakeTables.bySqlName("user_engagement").orElseThrow().name());
        assertEquals("silver/events", LakeTables.bySqlName("silver_events").orElseThrow().relativePath());
        assertEquals("meta/pipeline_runs", LakeTables.bySqlName("meta_pipeline_runs").orElseThrow().relativePath());
    }

    @Test
    void docsTablesMdDescribesEveryColumnInTheWordsOfTheCode() throws IOException {
        List<String> docs = Files.readAllLines(DOCS);
        StringBuilder expectedAll = new StringBuilder();
        List<String> problems = new ArrayList<>();
        for (TableSpec table : LakeTables.all()) {
            List<String> expected = columnRows(table);
            expectedAll.append("## ").append(table.relativePath()).append(" (").append(table.sqlName()).append(")\n\n")
                    .append(String.join("\n", expected)).append("\n\n");
            int heading = -1;
            for (int i = 0; i < docs.size(); i++) {
                if (docs.get(i).matches("#+ " + java.util.regex.Pattern.quote(table.relativePath()) + "( .*)?")) {
                    heading = i;
                }
            }
            if (heading < 0) {
                problems.add("no heading `## " + table.relativePath() + "`");
                continue;
            }
            int start = heading;
            while (start < docs.size() && !docs.get(start).equals(expected.get(0))) {
                start++;
            }
            List<String> actual = new ArrayList<>();
            for (int i = start; i < docs.size() && docs.get(i).startsWith("|"); i++) {
                actual.add(docs.get(i));
            }
            if (!actual.equals(expected)) {
                problems.add(table.relativePath() + ": its column table differs from the code's words");
            }
        }
        Path out = Path.of("target/tables-columns.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, expectedAll.toString());
        if (!problems.isEmpty()) {
            fail("docs/tables.md and the TableSpecs disagree (the expected rows are in jobs/" + out + "):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** The markdown rows docs/tables.md must have for {@code table}: header, rule, one row per column. */
    static List<String> columnRows(TableSpec table) {
        List<String> rows = new ArrayList<>(List.of("| column | type | meaning |", "|---|---|---|"));
        for (StructField field : table.schema().fields()) {
            rows.add("| " + field.name() + " | " + typeName(field.dataType()) + " | " + table.description(field.name()) + " |");
        }
        return rows;
    }

    static String typeName(DataType type) {
        if (type instanceof ArrayType array) {
            return "array<" + typeName(array.elementType()) + ">";
        }
        if (type instanceof MapType map) {
            return "map<" + typeName(map.keyType()) + "," + typeName(map.valueType()) + ">";
        }
        if (type.equals(DataTypes.LongType)) {
            return "long";
        }
        return type.simpleString();
    }
}
