package io.beatline.core;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one place beatline reads and writes Delta tables. Writes are idempotent and atomic: each
 * is a single Delta commit that either replaces the rows a condition selects (a date partition,
 * a landing date) or appends to a log table.
 */
public final class TableStore {

    private static final Pattern OUTPUT_ROWS = Pattern.compile("\"numOutputRows\":\"(\\d+)\"");
    /**
     * Rows a replace whose condition is not on partitions copied from the files it rewrote (they
     * held rows outside the condition too): Delta counts them in numOutputRows.
     */
    private static final Pattern COPIED_ROWS = Pattern.compile("\"numCopiedRows\":\"(\\d+)\"");
    private static final Pattern USER_METADATA = Pattern.compile("\"userMetadata\":\"([^\"]*)\"");

    /** The comment of a CRM custom column (a field of the extract beyond the standard ones). */
    private static final Metadata CUSTOM_COLUMN = new MetadataBuilder()
            .putString("comment", "a custom field of the CRM extract, typed as crm.custom-fields says (string otherwise)").build();

    /**
     * Delta's optimized writes, on every write: rows are shuffled by the table's partition
     * columns and packed into bins of {@code spark.databricks.delta.optimizeWrite.binSize} (512 MB)
     * before they are written, so a daily partition gets one file (or a few, when it is large),
     * not one per task (SPEC 3.7).
     */
    static final String OPTIMIZE_WRITE = "optimizeWrite";

    /** The tables whose comments {@link #describe} has checked in this process (by path). */
    private static final java.util.Set<String> DESCRIBED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final SparkSession spark;
    private final Lake lake;
    private final Lineage lineage = new Lineage();

    public TableStore(SparkSession spark, Lake lake) {
        this.spark = spark;
        this.lake = lake;
    }

    /** The tables and versions this store's jobs read and wrote. */
    public Lineage lineage() {
        return lineage;
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
        Dataset<Row> rows = spark.read().format("delta").load(lake.path(table));
        if (lineage.recording()) {
            lineage.read(table.relativePath(), latestVersion(table));
        }
        return rows;
    }

    /**
     * Replaces, in one commit, the rows matching {@code condition} (Spark SQL over the table's
     * columns) with {@code rows}; every row written must match the condition. Running it again
     * with the same rows leaves the table with the same rows. Returns the rows written.
     */
    public long replace(TableSpec table, Dataset<Row> rows, String condition) {
        return overwrite(table, rows, Optional.of(condition));
    }

    /** Overwrites the rows {@code condition} selects, or all rows when it is empty. */
    private long overwrite(TableSpec table, Dataset<Row> rows, Optional<String> condition) {
        Dataset<Row> conformed = conform(table, rows);
        if (exists(table)) {
            describe(table);
            long before = latestCommit(table).orElseThrow().version();
            var writer = conformed.write().format("delta").partitionBy(table.partitionColumns().toArray(String[]::new))
                    .option(OPTIMIZE_WRITE, "true")
                    // conform() chose the columns: a column a newer beatline added to the spec (or a CRM custom
                    // column) is added to a table written before it
                    .option("mergeSchema", "true")
                    .mode(SaveMode.Overwrite);
            condition.ifPresent(where -> writer.option("replaceWhere", where));
            writer.save(lake.path(table));
            long written = rowsWrittenSince(table, before);
            long after = latestVersion(table);
            if (after != before) {
                lineage.written(table.relativePath(), after);
            }
            return written;
        }
        return create(table, conformed);
    }

    /**
     * Replaces, in one commit, the partitions of {@code dates} of a table partitioned by one date
     * column (the predicate is derived from the TableSpec) with {@code rows}.
     */
    public long replacePartitions(TableSpec table, Dataset<Row> rows, Collection<LocalDate> dates) {
        if (table.partitionColumns().size() != 1
                || !(table.schema().apply(table.partitionColumns().get(0)).dataType() instanceof DateType)) {
            throw new IllegalArgumentException(table.name() + " is not partitioned by one date column");
        }
        return replace(table, rows, SqlPredicates.in(table.partitionColumns().get(0), dates));
    }

    /** {@link #replacePartitions} of one date. */
    public long replacePartition(TableSpec table, Dataset<Row> rows, LocalDate date) {
        return replacePartitions(table, rows, List.of(date));
    }

    /** Replaces every row of the table with {@code rows}, in one commit (small tables: definitions). */
    public long replaceAll(TableSpec table, Dataset<Row> rows) {
        return overwrite(table, rows, Optional.empty());
    }

    /**
     * Replaces every row, the schema and the partitioning of a table written in an older layout,
     * in one commit (a migration). Returns the rows written.
     */
    public long rebuild(TableSpec table, Dataset<Row> rows) {
        conform(table, rows).write().format("delta").partitionBy(table.partitionColumns().toArray(String[]::new))
                .option(OPTIMIZE_WRITE, "true").option("overwriteSchema", "true").mode(SaveMode.Overwrite).save(lake.path(table));
        long written = lastCommitOutputRows(table);
        lineage.written(table.relativePath(), latestVersion(table));
        DESCRIBED.remove(lake.path(table));
        describe(table);
        return written;
    }

    /**
     * Appends {@code rows} in one commit: for log tables such as the run log. A column that a
     * newer beatline added to the table's schema is added to an existing table.
     */
    public void append(TableSpec table, Dataset<Row> rows) {
        append(table, rows, Optional.empty());
    }

    /** {@link #append(TableSpec, Dataset)} with the commit's userMetadata (instead of the job's). */
    public void append(TableSpec table, Dataset<Row> rows, Optional<String> userMetadata) {
        Dataset<Row> conformed = conform(table, rows);
        if (exists(table)) {
            describe(table);
            var writer = conformed.write().format("delta")
                    .partitionBy(table.partitionColumns().toArray(String[]::new))
                    .option(OPTIMIZE_WRITE, "true")
                    .option("mergeSchema", "true")
                    .mode(SaveMode.Append);
            userMetadata.ifPresent(metadata -> writer.option("userMetadata", metadata));
            writer.save(lake.path(table));
            lineage.written(table.relativePath(), latestVersion(table));
        } else {
            create(table, conformed);
        }
    }

    /**
     * Creates the table with {@code rows} in its first commit, with the grain as the table's
     * comment. A folder that holds files but no commit (what a first write killed before its
     * commit leaves) is refused by {@code writeTo(...).create()}: there the path writer creates
     * the table over them, as a clean run would, and {@link #describe} adds the table comment.
     * Returns the rows written.
     */
    private long create(TableSpec table, Dataset<Row> rows) {
        if (holdsFiles(table)) {
            rows.write().format("delta").partitionBy(table.partitionColumns().toArray(String[]::new))
                    .option(OPTIMIZE_WRITE, "true").mode(SaveMode.ErrorIfExists).save(lake.path(table));
            long written = lastCommitOutputRows(table);
            lineage.written(table.relativePath(), latestVersion(table));
            describe(table);
            return written;
        }
        Column[] partitions = table.partitionColumns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        var writer = rows.writeTo(identifier(table)).option(OPTIMIZE_WRITE, "true").using("delta")
                .tableProperty("comment", table.grain());
        if (partitions.length > 0) {
            writer.partitionedBy(partitions[0], Arrays.copyOfRange(partitions, 1, partitions.length));
        }
        try {
            writer.create();
        } catch (Exception e) { // TableAlreadyExistsException is checked, and thrown undeclared
            throw new IllegalStateException("cannot create " + lake.path(table) + ": " + e.getMessage(), e);
        }
        lineage.written(table.relativePath(), latestVersion(table));
        return lastCommitOutputRows(table);
    }

    /**
     * Brings the table's comment and its columns' comments in the Delta metadata to the words of
     * its TableSpec, when they differ (a table written by an older beatline, or words changed):
     * at most two metadata-only commits, none when they already agree.
     */
    public void describe(TableSpec table) {
        if (DESCRIBED.contains(lake.path(table))) {
            return; // brought to the spec's words earlier in this process; only beatline writes to the lake
        }
        DeltaTable delta = DeltaTable.forPath(spark, lake.path(table));
        Row detail = delta.detail().select("description").first();
        if (!table.grain().equals(detail.isNullAt(0) ? null : detail.getString(0))) {
            spark.sql("ALTER TABLE " + identifier(table) + " SET TBLPROPERTIES ('comment' = " + sqlString(table.grain()) + ")");
        }
        StructType stored = delta.toDF().schema();
        List<String> changes = new ArrayList<>();
        for (StructField field : table.schema().fields()) {
            if (Arrays.asList(stored.fieldNames()).contains(field.name())
                    && !stored.apply(field.name()).getComment().equals(field.getComment())) {
                changes.add("`" + field.name() + "` COMMENT " + sqlString(field.getComment().get()));
            }
        }
        if (!changes.isEmpty()) {
            spark.sql("ALTER TABLE " + identifier(table) + " ALTER COLUMN " + String.join(", ", changes));
        }
        DESCRIBED.add(lake.path(table));
    }

    private boolean holdsFiles(TableSpec table) {
        Path path = new Path(lake.path(table));
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(path) && fs.listStatus(path).length > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code delta.`<path>`}: the table by its path, for SQL and the DataFrameWriterV2. */
    private String identifier(TableSpec table) {
        return "delta.`" + lake.path(table).replace("`", "``") + "`";
    }

    /** A Spark SQL string literal. */
    private static String sqlString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
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
                columns.add(col(field.name()).cast(field.dataType()).as(field.name(), field.metadata()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("rows for table " + table.name() + " lack columns " + missing);
        }
        if (table.customColumns()) {
            List<String> standard = Arrays.asList(table.columns());
            present.stream().filter(name -> !standard.contains(name)).sorted()
                    .forEach(name -> columns.add(col("`" + name + "`").as(name, CUSTOM_COLUMN)));
        }
        return rows.select(columns.toArray(Column[]::new));
    }

    /** The table's newest version (a listing of its log), -1 when it has none. */
    private long latestVersion(TableSpec table) {
        Path path = new Path(lake.path(table));
        try {
            return LakeVersions.latestVersion(path.getFileSystem(spark.sparkContext().hadoopConfiguration()), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the log of " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The newest commit of a table: its version, the rows it wrote (numOutputRows less the rows it
     * copied unchanged from rewritten files), and the userMetadata (the job that wrote it).
     */
    public record Commit(long version, long outputRows, Optional<String> userMetadata) {
    }

    /** numOutputRows of the table's newest commit. */
    private long lastCommitOutputRows(TableSpec table) {
        return latestCommit(table).orElseThrow().outputRows();
    }

    /**
     * The rows the write after version {@code before} wrote: its commit's numOutputRows, or 0 when
     * it made no commit (Delta commits nothing when a replace selects no rows and writes none:
     * reading the newest commit then would count an earlier write's rows).
     */
    private long rowsWrittenSince(TableSpec table, long before) {
        Commit latest = latestCommit(table).orElseThrow();
        return latest.version() == before ? 0 : latest.outputRows();
    }

    /**
     * The table's newest commit, read from its commit file (the commitInfo line of
     * {@code _delta_log/<version>.json}) without a Spark job; empty when the table has none. The
     * lake lock keeps other writers out.
     */
    public Optional<Commit> latestCommit(TableSpec table) {
        return commit(table, -1);
    }

    /**
     * Commit {@code version} of the table (-1: its newest), read from its commit file like
     * {@link #latestCommit}; empty when there is no such commit (or its file was cleaned up).
     */
    public Optional<Commit> commit(TableSpec table, long wanted) {
        return commit(spark.sparkContext().hadoopConfiguration(), lake, table, wanted);
    }

    /** {@link #commit(TableSpec, long)} from the file system alone, before any SparkSession exists. */
    public static Optional<Commit> commit(Configuration hadoop, Lake lake, TableSpec table, long wanted) {
        Path path = new Path(lake.path(table));
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            long version = wanted >= 0 ? wanted : LakeVersions.latestVersion(fs, path);
            if (version < 0) {
                return Optional.empty();
            }
            if (wanted >= 0 && !fs.exists(new Path(path, "_delta_log/" + String.format("%020d", version) + ".json"))) {
                return Optional.empty();
            }
            Path commit = new Path(path, "_delta_log/" + String.format("%020d", version) + ".json");
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("{\"commitInfo\"")) {
                        Matcher rows = OUTPUT_ROWS.matcher(line);
                        Matcher copied = COPIED_ROWS.matcher(line);
                        Matcher metadata = USER_METADATA.matcher(line);
                        long written = (rows.find() ? Long.parseLong(rows.group(1)) : 0)
                                - (copied.find() ? Long.parseLong(copied.group(1)) : 0);
                        return Optional.of(new Commit(version, written,
                                metadata.find() ? Optional.of(metadata.group(1)) : Optional.empty()));
                    }
                }
            }
            return Optional.of(new Commit(version, 0, Optional.empty()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the latest commit of " + path + ": " + e.getMessage(), e);
        }
    }
}
