package io.beatline.crm;

import static io.beatline.crm.CrmColumn.optional;
import static io.beatline.crm.CrmColumn.required;

import io.beatline.core.TableSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The CRM extracts of SPEC 2.2. Each lands as full snapshots in {@code crm/<name>/dt=D/} and is
 * kept in {@code silver/<name>}, one partition per snapshot date, with its custom columns.
 */
public enum CrmEntity {
    COMPANIES("companies", List.of("company_id"),
            required("company_id", CrmColumn.Kind.STRING), optional("name"), optional("owner"), optional("industry"),
            optional("country"), optional("city"), optional("tags", CrmColumn.Kind.TAGS),
            optional("created_at", CrmColumn.Kind.DATE)),
    END_USERS("end_users", List.of("user_id"),
            required("user_id", CrmColumn.Kind.STRING), optional("company_id"), optional("email"), optional("name"),
            optional("role"), optional("title"), optional("created_at", CrmColumn.Kind.DATE)),
    LICENSES("licenses", List.of("license_id"),
            required("license_id", CrmColumn.Kind.STRING), required("company_id", CrmColumn.Kind.STRING),
            optional("product"), required("amount", CrmColumn.Kind.DOUBLE), optional("period", CrmColumn.Kind.PERIOD),
            optional("currency"), optional("seats", CrmColumn.Kind.LONG), required("start_date", CrmColumn.Kind.DATE),
            optional("end_date", CrmColumn.Kind.DATE)),
    NPS_RESPONSES("nps_responses", List.of("response_id"),
            required("response_id", CrmColumn.Kind.STRING), optional("user_id"), optional("company_id"),
            required("score", CrmColumn.Kind.SCORE), required("responded_at", CrmColumn.Kind.TIMESTAMP), optional("comment")),
    CONVERSATIONS("conversations", List.of("conversation_id"),
            required("conversation_id", CrmColumn.Kind.STRING), required("company_id", CrmColumn.Kind.STRING),
            optional("user_id"), optional("type", CrmColumn.Kind.LOWER), required("created_at", CrmColumn.Kind.TIMESTAMP)),
    INVOICES("invoices", List.of("invoice_id"),
            required("invoice_id", CrmColumn.Kind.STRING), required("company_id", CrmColumn.Kind.STRING),
            optional("amount", CrmColumn.Kind.DOUBLE), optional("issued_at", CrmColumn.Kind.DATE),
            optional("due_date", CrmColumn.Kind.DATE), optional("status", CrmColumn.Kind.INVOICE_STATUS)),
    CUSTOM_METRICS("custom_metrics", List.of("entity_type", "entity_id", "metric", "date"),
            required("entity_type", CrmColumn.Kind.ENTITY_TYPE), required("entity_id", CrmColumn.Kind.STRING),
            required("metric", CrmColumn.Kind.STRING), required("date", CrmColumn.Kind.DATE),
            required("value", CrmColumn.Kind.DOUBLE));

    /** Columns beatline adds to every CRM row. */
    public static final List<String> LINEAGE = List.of("snapshot_date", "source_file", "run_id");

    public final String entityName;
    public final List<String> key;
    public final List<CrmColumn> columns;
    public final TableSpec table;

    CrmEntity(String entityName, List<String> key, CrmColumn... columns) {
        this.entityName = entityName;
        this.key = List.copyOf(key);
        this.columns = List.of(columns);
        StructType schema = new StructType();
        for (CrmColumn column : columns) {
            schema = schema.add(column.name(), column.kind().type, !column.required());
        }
        schema = schema.add("snapshot_date", DataTypes.DateType, false)
                .add("source_file", DataTypes.StringType, false)
                .add("run_id", DataTypes.StringType, false);
        List<String> tableKey = new ArrayList<>(key);
        tableKey.add("snapshot_date");
        this.table = new TableSpec("silver", entityName, schema, tableKey, List.of("snapshot_date"),
                "one row per " + entityName.replaceAll("s$", "").replace("_", " ") + " per snapshot date", true);
    }

    /** The raw zone folder: {@code crm/<name>}. */
    public String source() {
        return "crm/" + entityName;
    }

    public boolean isStandard(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column)) || LINEAGE.contains(column);
    }

    public static CrmEntity named(String name) {
        for (CrmEntity entity : values()) {
            if (entity.entityName.equals(name)) {
                return entity;
            }
        }
        throw new IllegalArgumentException("no CRM entity " + name);
    }
}
