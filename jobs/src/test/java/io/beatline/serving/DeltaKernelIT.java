package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.core.Lake;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.testing.SampleLake;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.internal.util.Utils;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An independent reader: Delta Kernel, which shares no code with Delta's Spark connector, reads
 * every table of the sample lake row by row; every table stays at protocol reader 1 / writer 2
 * (no table feature Trino, DuckDB, Power BI or Athena could not read), and Kernel sees the same
 * rows (and the same total of beats) as Spark.
 */
class DeltaKernelIT {

    /** The rows Kernel reads from the table's data files, and the sum of {@code sumColumn} when asked. */
    record Read(long rows, double sum) {
    }

    static Read readAll(Engine engine, Snapshot snapshot, Optional<String> sumColumn) throws IOException {
        Scan scan = snapshot.getScanBuilder().build();
        Row scanState = scan.getScanState(engine);
        long rows = 0;
        double sum = 0;
        try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
            while (files.hasNext()) {
                try (CloseableIterator<Row> fileRows = files.next().getRows()) {
                    while (fileRows.hasNext()) {
                        Row file = fileRows.next();
                        CloseableIterator<FileReadResult> physical = engine.getParquetHandler().readParquetFiles(
                                Utils.singletonCloseableIterator(InternalScanFileUtils.getAddFileStatus(file)),
                                ScanStateRow.getPhysicalDataReadSchema(scanState), Optional.empty());
                        try (CloseableIterator<FilteredColumnarBatch> data =
                                     Scan.transformPhysicalData(engine, scanState, file, physical.map(FileReadResult::getData))) {
                            while (data.hasNext()) {
                                FilteredColumnarBatch batch = data.next();
                                Optional<ColumnVector> selected = batch.getSelectionVector();
                                ColumnVector values = sumColumn.map(column ->
                                        batch.getData().getColumnVector(batch.getData().getSchema().indexOf(column))).orElse(null);
                                for (int i = 0; i < batch.getData().getSize(); i++) {
                                    if (selected.isEmpty() || (!selected.get().isNullAt(i) && selected.get().getBoolean(i))) {
                                        rows++;
                                        if (values != null && !values.isNullAt(i)) {
                                            sum += values.getDouble(i);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Read(rows, sum);
    }

    @Test
    void kernelReadsEveryTableAtReaderOneWriterTwoWithSparksRows() throws IOException {
        TestLake lake = SampleLake.get();
        Engine engine = DefaultEngine.create(TestSpark.session().sparkContext().hadoopConfiguration());
        Lake root = new Lake(lake.lake.toString());
        DeltaLogStats logs = new DeltaLogStats(TestSpark.session().sparkContext().hadoopConfiguration());
        for (TableSpec table : LakeTables.all()) {
            Snapshot snapshot = logs.snapshot(root.path(table));
            assertEquals(1, snapshot.getProtocol().getMinReaderVersion(), table.name() + " reader version");
            assertEquals(2, snapshot.getProtocol().getMinWriterVersion(), table.name() + " writer version");
            assertEquals(table.grain(), snapshot.getMetadata().getDescription().orElse(null), table.name() + " comment");
            boolean engagement = table.equals(UserEngagement.TABLE);
            Read read = readAll(engine, snapshot, engagement ? Optional.of("beats") : Optional.empty());
            assertEquals(lake.table(table).count(), read.rows(), table.name() + " rows");
            if (engagement) {
                double sparkBeats = lake.table(table).agg(org.apache.spark.sql.functions.sum("beats")).first().getDouble(0);
                assertEquals(sparkBeats, read.sum(), 1e-6, "total beats");
            }
        }
    }
}
