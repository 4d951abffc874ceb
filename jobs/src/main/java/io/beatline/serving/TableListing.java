package io.beatline.serving;

import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import io.beatline.crm.CrmVersions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** {@code beatline tables}: every table of the lake with its SQL name, rows, latest version, latest date and last writer. */
public final class TableListing {

    /** One table: {@code version} -1 and no rows when it was never written. */
    public record Entry(TableSpec table, long rows, long version, Optional<String> dateColumn, Optional<String> latestDate,
                        Optional<String> lastWrittenBy) {
    }

    private TableListing() {
    }

    public static List<Entry> list(TableStore store) {
        DeltaLogStats log = new DeltaLogStats(store.spark().sparkContext().hadoopConfiguration());
        List<Entry> entries = new ArrayList<>();
        for (TableSpec table : LakeTables.all()) {
            Optional<String> dateColumn = dateColumn(table);
            Optional<TableStore.Commit> commit = store.latestCommit(table); // empty: never written
            if (commit.isEmpty()) {
                entries.add(new Entry(table, 0, -1, dateColumn, Optional.empty(), Optional.empty()));
                continue;
            }
            DeltaLogStats.Figures figures = log.figures(store.lake().path(table), dateColumn);
            entries.add(new Entry(table, figures.rows(), figures.version(), dateColumn, figures.latestDate(),
                    commit.get().userMetadata()));
        }
        return entries;
    }

    /**
     * The date a table's rows are for: a CRM table's valid_from (its latest is the latest change),
     * else its first partition column, else its first date column.
     */
    static Optional<String> dateColumn(TableSpec table) {
        if (Arrays.asList(table.columns()).contains(CrmVersions.VALID_FROM)) {
            return Optional.of(CrmVersions.VALID_FROM);
        }
        if (!table.partitionColumns().isEmpty()) {
            return Optional.of(table.partitionColumns().get(0));
        }
        for (StructField field : table.schema().fields()) {
            if (field.dataType().equals(DataTypes.DateType)) {
                return Optional.of(field.name());
            }
        }
        return Optional.empty();
    }
}
