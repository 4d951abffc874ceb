package io.beatline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * What a Delta table's log says without reading a data file or starting a Spark job, through
 * Delta Kernel (an engine-independent reader): version, rows (the sum of the files' numRecords
 * statistics) and the latest value of one date column (from partition values or the files'
 * maxValues statistics).
 */
public final class DeltaLogStats {

    /** The figures of one table's latest snapshot; {@code latestDate} empty when no column is asked or no file has it. */
    public record Figures(long version, long rows, Optional<String> latestDate) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;

    public DeltaLogStats(Configuration hadoop) {
        this.engine = DefaultEngine.create(hadoop);
    }

    public Snapshot snapshot(String path) {
        try {
            return Table.forPath(engine, path).getLatestSnapshot(engine);
        } catch (Exception e) { // TableNotFoundException and the checked ones Kernel declares
            throw new IllegalStateException("Delta Kernel cannot read the table at " + path + ": " + e.getMessage(), e);
        }
    }

    public Figures figures(String path, Optional<String> dateColumn) {
        Snapshot snapshot = snapshot(path);
        boolean partition = dateColumn.isPresent() && snapshot.getPartitionColumnNames().contains(dateColumn.get());
        Scan scan = snapshot.getScanBuilder().build();
        long rows = 0;
        String latest = null;
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> files = batches.next().getRows()) {
                    while (files.hasNext()) {
                        Row add = files.next().getStruct(0); // a scan file row is { add, ... }
                        JsonNode stats = stats(add);
                        rows += stats.path("numRecords").asLong(0);
                        String value = null;
                        if (partition) {
                            value = partitionValue(add, dateColumn.get());
                        } else if (dateColumn.isPresent()) {
                            JsonNode max = stats.path("maxValues").path(dateColumn.get());
                            value = max.isTextual() ? max.asText() : null;
                        }
                        if (value != null && (latest == null || value.compareTo(latest) > 0)) {
                            latest = value;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Delta log of " + path + ": " + e.getMessage(), e);
        }
        return new Figures(snapshot.getVersion(), rows, Optional.ofNullable(latest));
    }

    private static JsonNode stats(Row add) {
        int index = add.getSchema().indexOf("stats");
        if (index < 0 || add.isNullAt(index)) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(add.getString(index));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String partitionValue(Row add, String column) {
        MapValue values = add.getMap(add.getSchema().indexOf("partitionValues"));
        for (int i = 0; i < values.getSize(); i++) {
            if (values.getKeys().getString(i).equals(column)) {
                return values.getValues().isNullAt(i) ? null : values.getValues().getString(i);
            }
        }
        return null;
    }
}
