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
                    .add("snapshot_date", DateType, false,
                            "the snapshot (`dt=` folder)")
                    .add("entity", StringType, false,
                            "`companies`, `end_users`, ...")
                    .add("source_file", StringType, false,
                            "the file")
                    .add("raw", StringType, true,
                            "the original record (a CSV record with its line breaks; a JSON line)")
                    .add("reason", StringType, false,
                            "why it was not kept, e.g. `missing_company_id`, `bad_number_amount`, `duplicate_key` (see docs/tables.md)")
                    .add("run_id", StringType, false,
                            "the ingestion run"),
            List.of(),
            List.of("snapshot_date"),
            "one row per rejected CRM record or unreadable file; no key: a record sent twice is two rows");

    private CrmQuarantine() {
    }
}
