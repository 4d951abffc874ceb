package io.beatline.core;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * The contract of one Delta table: where it lives, its columns, its key, its partitioning and
 * its grain in words. Each table class holds one of these as {@code TABLE}. A table with
 * {@code customColumns} also keeps columns beyond its schema (CRM custom fields), added to the
 * table as they first appear.
 */
public record TableSpec(
        String layer,
        String name,
        StructType schema,
        List<String> key,
        List<String> partitionColumns,
        String grain,
        boolean customColumns) {

    public TableSpec(String layer, String name, StructType schema, List<String> key, List<String> partitionColumns,
                     String grain) {
        this(layer, name, schema, key, partitionColumns, grain, false);
    }

    public TableSpec {
        key = List.copyOf(key);
        partitionColumns = List.copyOf(partitionColumns);
        List<String> columns = Arrays.asList(schema.fieldNames());
        for (String column : key) {
            if (!columns.contains(column)) {
                throw new IllegalArgumentException(name + ": key column " + column + " not in schema");
            }
        }
        for (String column : partitionColumns) {
            if (!columns.contains(column)) {
                throw new IllegalArgumentException(name + ": partition column " + column + " not in schema");
            }
        }
    }

    public String[] columns() {
        return schema.fieldNames();
    }

    /** {@code layer/name}, the table's path below the lake root. */
    public String relativePath() {
        return layer + "/" + name;
    }
}
