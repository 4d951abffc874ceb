package io.beatline.core;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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

    private static final Pattern OUTPUT_ROWS = Pattern.compile("\"numOutputRows\":\"(\\d+)\"");

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

    /**
     * Appends {@code rows} in one commit: for log tables such as the run log. A column that a
     * newer beatline added to the table's schema is added to an existing table.
     */
    public void append(TableSpec table, Dataset<Row> rows) {
        conform(table, rows).write().format("delta")
                .partitionBy(table.partitionColumns().toArray(String[]::new))
                .option("mergeSchema", "true")
                .mode(SaveMode.Append)
                .save(lake.path(table));
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

    /**
     * numOutputRows of the table's newest commit, read from its commit file (the commitInfo line of
     * {@code _delta_log/<version>.json}) without a Spark job; the lake lock keeps other writers out.
     */
    private long lastCommitOutputRows(TableSpec table) {
        Path path = new Path(lake.path(table));
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            long version = LakeVersions.latestVersion(fs, path);
            Path commit = new Path(path, "_delta_log/" + String.format("%020d", version) + ".json");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("{\"commitInfo\"")) {
                        Matcher rows = OUTPUT_ROWS.matcher(line);
                        return rows.find() ? Long.parseLong(rows.group(1)) : 0;
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latest commit of " + path + ": " + e.getMessage(), e);
        }
    }
}
