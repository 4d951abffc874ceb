package io.beatline.core;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The one place beatline reads and writes Delta tables. Writes are idempotent and atomic: each
 * is a single Delta commit that either replaces the rows a condition selects (a date partition,
 * a landing date) or appends to a log table.
 */
public final class TableStore {

    private final SparkSession spark;
    private final Lake lake;

    public TableStore(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    public SparkSession spark() {
        return spark;
    }

    public Lake lake() {
        return lake;
    }

    public boolean exists(TableSpec table) {
        return DeltaTable.isDeltaTable(spark, lake.path(table));
    }

    /** The table's rows; an empty Dataset with the table's schema when it was never written. */
    public Dataset<Row> read(TableSpec table) {
        if (!exists(table)) {
            return spark.createDataFrame(List.of(), table.schema());
        }
        return spark.read().format("delta").load(lake.path(table));
    }

    /**
     * Replaces, in one commit, the rows matching {@code condition} (Spark SQL over the table's
     * columns) with {@code rows}; every row written must match the condition. Running it again
     * with the same rows leaves the table with the same rows. Returns the rows written.
     */
    public long replace(TableSpec table, Dataset<Row> rows, String condition) {
        Dataset<Row> conformed = conform(table, rows);
        var writer = conformed.write().format("delta").partitionBy(table.partitionColumns().toArray(String[]::new))
                .option("mergeSchema", String.valueOf(table.customColumns()));
        if (exists(table)) {
            writer.mode(SaveMode.Overwrite).option("replaceWhere", condition).save(lake.path(table));
        } else {
            writer.mode(SaveMode.ErrorIfExists).save(lake.path(table));
        }
        return lastCommitOutputRows(table);
    }

    /** Appends {@code rows} in one commit: for log tables such as the run log. */
    public long append(TableSpec table, Dataset<Row> rows) {
        conform(table, rows).write().format("delta")
                .partitionBy(table.partitionColumns().toArray(String[]::new))
                .mode(SaveMode.Append)
                .save(lake.path(table));
        return lastCommitOutputRows(table);
    }

    /**
     * The table's columns in contract order and types (then its custom columns, by name); a
     * missing column is a programming error named here.
     */
    public static Dataset<Row> conform(TableSpec table, Dataset<Row> rows) {
        List<String> present = Arrays.asList(rows.columns());
        List<String> missing = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (StructField field : table.schema().fields()) {
            if (!present.contains(field.name())) {
                missing.add(field.name());
            } else {
                columns.add(col(field.name()).cast(field.dataType()).as(field.name()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("rows for table " + table.name() + " lack columns " + missing);
        }
        if (table.customColumns()) {
            List<String> standard = Arrays.asList(table.columns());
            present.stream().filter(name -> !standard.contains(name)).sorted().forEach(name -> columns.add(col("`" + name + "`")));
        }
        return rows.select(columns.toArray(Column[]::new));
    }

    private long lastCommitOutputRows(TableSpec table) {
        Row last = DeltaTable.forPath(spark, lake.path(table)).history(1).select("operationMetrics").first();
        Map<String, String> metrics = last.getJavaMap(0);
        String written = metrics == null ? null : metrics.get("numOutputRows");
        return written == null ? 0 : Long.parseLong(written);
    }
}
