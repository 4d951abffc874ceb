package io.beatline.testing;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.core.TableSpec;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/** A table's contract, checked on its rows: the spec's columns and types, a unique key, no nulls where none may be. */
public final class Contracts {

    private Contracts() {
    }

    public static void assertContract(TableSpec table, Dataset<Row> rows) {
        List<String> expected = Arrays.stream(table.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
        List<String> actual = Arrays.stream(rows.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
        assertEquals(expected, table.customColumns() ? actual.subList(0, Math.min(actual.size(), expected.size())) : actual,
                table.name() + ": columns and types");

        if (!table.key().isEmpty()) {
            Column[] key = table.key().stream().map(name -> col(name)).toArray(Column[]::new);
            long duplicatedKeys = rows.groupBy(key).count().filter(col("count").gt(1)).count();
            assertEquals(0, duplicatedKeys, table.name() + ": key " + table.key() + " is not unique");
        }

        for (StructField field : table.schema().fields()) {
            if (!field.nullable()) {
                assertEquals(0, rows.filter(col(field.name()).isNull()).count(), table.name() + "." + field.name() + " has nulls");
            }
        }
    }
}
