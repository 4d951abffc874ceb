package io.beatline.crm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.core.TableStore;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * "The CRM as of D" (SPEC 3.1): for an entity, the versions valid on D ({@code valid_from <= D
 * < valid_to}, or valid_to null), which are exactly the rows of its latest snapshot on or
 * before D. Every stage that reads the CRM reads it through here.
 */
public final class CrmSnapshots {

    private CrmSnapshots() {
    }

    /** Whether a version of {@code silver/<entity>} is valid on {@code date}. */
    public static Column validOn(LocalDate date) {
        Column day = lit(Date.valueOf(date));
        return col(CrmVersions.VALID_FROM).leq(day).and(col(CrmVersions.VALID_TO).isNull().or(col(CrmVersions.VALID_TO).gt(day)));
    }

    /** The entity's rows as of {@code date}; no rows when no snapshot had landed by then. */
    public static Dataset<Row> asOf(TableStore store, CrmEntity entity, LocalDate date) {
        return store.read(entity.table).filter(validOn(date));
    }
}
