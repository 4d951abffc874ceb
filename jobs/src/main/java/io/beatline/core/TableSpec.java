package io.beatline.core;

import java.util.ArrayList;
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
 * is checked against them. {@code rules} are what its values keep besides their types and
 * nullability (accepted values, ranges): with the key and the non-nullable columns they are the
 * contract the data-quality checks test after each run (SPEC 3.7).
 */
public record TableSpec(
        String layer,
        String name,
        StructType schema,
        List<String> key,
        List<String> partitionColumns,
        String grain,
        boolean customColumns,
        List<ColumnRule> rules) {

    public TableSpec(String layer, String name, StructType schema, List<String> key, List<String> partitionColumns,
                     String grain) {
        this(layer, name, schema, key, partitionColumns, grain, false);
    }

    public TableSpec(String layer, String name, StructType schema, List<String> key, List<String> partitionColumns,
                     String grain, boolean customColumns) {
        this(layer, name, schema, key, partitionColumns, grain, customColumns, List.of());
    }

    public TableSpec {
        key = List.copyOf(key);
        partitionColumns = List.copyOf(partitionColumns);
        rules = List.copyOf(rules);
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
        for (ColumnRule rule : rules) {
            if (!columns.contains(rule.column())) {
                throw new IllegalArgumentException(name + ": rule column " + rule.column() + " not in schema");
            }
        }
    }

    /** This table with the rules its values keep (accepted values, ranges), which the data-quality checks test. */
    public TableSpec withRules(ColumnRule... more) {
        List<ColumnRule> all = new ArrayList<>(rules);
        all.addAll(List.of(more));
        return new TableSpec(layer, name, schema, key, partitionColumns, grain, customColumns, all);
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
