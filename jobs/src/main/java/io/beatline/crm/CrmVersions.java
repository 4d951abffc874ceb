package io.beatline.crm;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A CRM entity's records as versions (SPEC 3.1): each version holds a record's columns from the
 * snapshot it first appeared in ({@code valid_from}) to the snapshot it changed or vanished in
 * ({@code valid_to}, null while current), so "the CRM as of D" is exactly the latest snapshot on
 * or before D, and an unchanged snapshot adds no row. The pure step here merges new snapshots
 * into the versions they can affect; {@link CrmSnapshots#asOf} reads them.
 *
 * <p>How: every snapshot date of the entity from the earliest new one on is a boundary. A
 * record's state at a new boundary is its row in that snapshot (or none: it vanished); at an
 * older boundary it is the version that covered it, so a snapshot landing out of order changes
 * only the days up to the next snapshot. Each state covers its boundary up to the next one;
 * what a version held before the earliest new boundary is kept as it was. Adjacent pieces with
 * the same {@code row_hash} are then one version again (an unchanged record keeps its
 * {@code valid_from} and lineage), which also makes a rerun of a snapshot change nothing.
 */
public final class CrmVersions {

    public static final String VALID_FROM = "valid_from";
    public static final String VALID_TO = "valid_to";
    public static final String ROW_HASH = "row_hash";

    private static final StructType BOUNDARIES = new StructType()
            .add("boundary", DataTypes.DateType, false).add("next_boundary", DataTypes.DateType, true);

    private CrmVersions() {
    }

    /**
     * A snapshot row's {@code row_hash}: SHA-256 of its data columns as JSON, in table order.
     * Null values are left out of the JSON, so a custom column that first appears (null in every
     * older row) changes no record's hash.
     */
    public static Column rowHash(List<String> dataColumns) {
        return sha2(to_json(struct(dataColumns.stream().map(CrmVersions::quoted).toArray(Column[]::new))), 256);
    }

    /**
     * The versions that replace {@code affected} (the entity's versions with {@code valid_to}
     * null or on or after {@code from}) once the snapshots of the dates being ingested, the
     * earliest of which is {@code from}, are merged in. {@code snapshots}: their valid rows
     * ({@code snapshot_date}, the data columns, {@code source_file}, {@code run_id}; one row per
     * key and date). {@code snapshotDates}: the entity's snapshot dates that hold records, the
     * earlier ones and those of {@code snapshots}, whose rows replace what an earlier ingestion
     * of their date left. A date being ingested whose snapshot holds no valid record is no
     * snapshot date: the CRM stays as the snapshot before it left it.
     */
    public static Dataset<Row> merge(Dataset<Row> affected, Dataset<Row> snapshots, Collection<LocalDate> snapshotDates,
                                     Collection<LocalDate> newDates, LocalDate from, List<String> key, List<String> dataColumns) {
        SparkSession spark = snapshots.sparkSession();
        TreeSet<LocalDate> boundaries = new TreeSet<>(snapshotDates.stream().filter(date -> !date.isBefore(from)).toList());
        List<Row> boundaryRows = new ArrayList<>();
        List<Row> oldBoundaryRows = new ArrayList<>();
        for (LocalDate boundary : boundaries) {
            LocalDate next = boundaries.higher(boundary);
            Row row = RowFactory.create(Date.valueOf(boundary), next == null ? null : Date.valueOf(next));
            boundaryRows.add(row);
            if (!newDates.contains(boundary)) {
                oldBoundaryRows.add(row);
            }
        }
        // the state at each new boundary: the snapshot's row, up to the next boundary
        Dataset<Row> table = spark.createDataFrame(boundaryRows, BOUNDARIES);
        Dataset<Row> pieces = piece(snapshots.withColumn(ROW_HASH, rowHash(dataColumns))
                .join(broadcast(table), col("snapshot_date").equalTo(col("boundary"))), col("boundary"), col("next_boundary"));
        // before `from`: what each affected version held, which goes on up to the first boundary
        LocalDate firstBoundary = boundaries.ceiling(from);
        pieces = pieces.unionByName(piece(affected.filter(col(VALID_FROM).lt(lit(Date.valueOf(from)))), col(VALID_FROM),
                lit(firstBoundary == null ? null : Date.valueOf(firstBoundary)).cast(DataTypes.DateType)), true);
        // at an older boundary: the version that covered it (only when a snapshot landed out of order)
        if (!oldBoundaryRows.isEmpty()) {
            Dataset<Row> older = spark.createDataFrame(oldBoundaryRows, BOUNDARIES);
            pieces = pieces.unionByName(piece(affected.join(broadcast(older), col(VALID_FROM).leq(col("boundary"))
                    .and(col(VALID_TO).isNull().or(col(VALID_TO).gt(col("boundary"))))), col("boundary"), col("next_boundary")), true);
        }
        return coalesce(pieces, key);
    }

    /**
     * A piece of a record's history: its columns (data, lineage, hash) over {@code [start, end)},
     * end null for open-ended; a column another piece has and this one lacks is null.
     */
    private static Dataset<Row> piece(Dataset<Row> rows, Column start, Column end) {
        List<String> dropped = List.of(VALID_FROM, VALID_TO, "snapshot_date", "boundary", "next_boundary");
        List<Column> columns = new ArrayList<>();
        for (String column : rows.columns()) {
            if (!dropped.contains(column)) {
                columns.add(quoted(column));
            }
        }
        columns.add(start.as("piece_start"));
        columns.add(end.as("piece_end"));
        return rows.select(columns.toArray(Column[]::new));
    }

    private static Column quoted(String column) {
        return col("`" + column + "`");
    }

    /** Adjacent pieces of a record with the same hash as one version, keeping the first piece's columns. */
    private static Dataset<Row> coalesce(Dataset<Row> pieces, List<String> key) {
        Column[] keys = key.stream().map(CrmVersions::quoted).toArray(Column[]::new);
        WindowSpec byStart = Window.partitionBy(keys).orderBy("piece_start");
        Column continues = lag(col(ROW_HASH), 1).over(byStart).equalTo(col(ROW_HASH))
                .and(lag(col("piece_end"), 1).over(byStart).equalTo(col("piece_start")));
        Dataset<Row> grouped = pieces.withColumn("new_version", when(continues, lit(0)).otherwise(lit(1)))
                .withColumn("version", sum("new_version").over(byStart.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
        List<String> carried = Arrays.stream(pieces.columns())
                .filter(column -> !key.contains(column) && !column.equals("piece_start") && !column.equals("piece_end"))
                .toList();
        List<Column> groupBy = new ArrayList<>(Arrays.asList(keys));
        groupBy.add(col("version"));
        Column firstPiece = min_by(struct(carried.stream().map(CrmVersions::quoted).toArray(Column[]::new)), col("piece_start"));
        Dataset<Row> versions = grouped.groupBy(groupBy.toArray(Column[]::new))
                .agg(firstPiece.as("first_piece"), min("piece_start").as(VALID_FROM),
                        // an open piece (end null) makes the version open
                        max(when(col("piece_end").isNull(), lit(1)).otherwise(lit(0))).as("open"),
                        max("piece_end").as("last_end"));
        List<Column> out = new ArrayList<>(Arrays.asList(keys));
        carried.forEach(column -> out.add(col("first_piece").getField(column).as(column)));
        out.add(col(VALID_FROM));
        out.add(when(col("open").equalTo(1), lit(null).cast(DataTypes.DateType)).otherwise(col("last_end")).as(VALID_TO));
        return versions.select(out.toArray(Column[]::new));
    }
}
