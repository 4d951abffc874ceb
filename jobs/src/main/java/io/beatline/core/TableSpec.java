package io.beatline.core;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The contract of one Delta table: where it lives, its columns, its key, its partitioning and
 * its grain in words. Each table class holds one of these as {@code TABLE}. A table with
 * {@code customColumns} also keeps columns beyond its schema (CRM custom fields), added to the
 * table as they first appear. Every column carries its meaning as the StructField comment and
 * the grain is the table's comment: both are written into the Delta metadata, so every engine
 * that reads the table (Spark, Trino, Delta Kernel, a BI tool) shows them, and docs/tables.md
 * is checked against them.
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
        for (StructField field : schema.fields()) {
            if (field.getComment().isEmpty() || field.getComment().get().isBlank()) {
                throw new IllegalArgumentException(name + ": column " + field.name() + " has no description (its comment)");
            }
        }
        if (grain == null || grain.isBlank()) {
            throw new IllegalArgumentException(name + ": no grain");
        }
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

    /** What {@code column} means, in words for a BI user (its comment). */
    public String description(String column) {
        return schema.apply(column).getComment().get();
    }

    /**
     * The table's SQL name (SPEC 3.6): a gold table by its own name ({@code user_engagement}),
     * silver and meta tables as {@code silver_<name>} and {@code meta_<name>}.
     */
    public String sqlName() {
        return layer.equals("gold") ? name : layer + "_" + name;
    }

    /** {@code layer/name}, the table's path below the lake root. */
    public String relativePath() {
        return layer + "/" + name;
    }
}
