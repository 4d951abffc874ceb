package io.beatline.crm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.beatline.core.TableStore;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * "The CRM as of D" (SPEC 3.1): for an entity, the rows of its latest snapshot on or before D.
 * Every stage that reads the CRM reads it through here.
 */
public final class CrmSnapshots {

    private CrmSnapshots() {
    }

    /** The date of the latest snapshot of {@code entity} on or before {@code date}, if any. */
    public static Optional<LocalDate> snapshotDate(TableStore store, CrmEntity entity, LocalDate date) {
        if (!store.exists(entity.table)) {
            return Optional.empty();
        }
        Row latest = store.read(entity.table).filter(col("snapshot_date").leq(lit(Date.valueOf(date))))
                .agg(max("snapshot_date")).first();
        return latest.isNullAt(0) ? Optional.empty() : Optional.of(latest.getDate(0).toLocalDate());
    }

    /** The entity's rows as of {@code date}: its latest snapshot on or before it; no rows when there is none. */
    public static Dataset<Row> asOf(TableStore store, CrmEntity entity, LocalDate date) {
        Optional<LocalDate> snapshot = snapshotDate(store, entity, date);
        Dataset<Row> rows = store.read(entity.table);
        return snapshot.isEmpty() ? rows.limit(0)
                : rows.filter(col("snapshot_date").equalTo(lit(Date.valueOf(snapshot.get()))));
    }
}
