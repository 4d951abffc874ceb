package io.beatline.crm;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * {@code silver/crm_quarantine}: one row per CRM record that was not kept, with its entity, its
 * original text and the reason; partitioned by snapshot date.
 */
public final class CrmQuarantine {

    public static final TableSpec TABLE = new TableSpec("silver", "crm_quarantine",
            new StructType()
                    .add("snapshot_date", DateType, false)
                    .add("entity", StringType, false)
                    .add("source_file", StringType, false)
                    .add("raw", StringType, true)
                    .add("reason", StringType, false)
                    .add("run_id", StringType, false),
            List.of(),
            List.of("snapshot_date"),
            "one row per rejected CRM record or unreadable file; no key: a record sent twice is two rows");

    private CrmQuarantine() {
    }
}
