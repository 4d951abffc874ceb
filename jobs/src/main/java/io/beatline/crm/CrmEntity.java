package io.beatline.crm;

import static io.beatline.crm.CrmColumn.optional;
import static io.beatline.crm.CrmColumn.required;

import io.beatline.core.TableSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The CRM extracts of SPEC 2.2. Each lands as full snapshots in {@code crm/<name>/dt=D/} and is
 * kept in {@code silver/<name>} as versions (see {@link CrmVersions}), with its custom columns.
 */
public enum CrmEntity {
    COMPANIES("companies", List.of("company_id"),
            required("company_id", CrmColumn.Kind.STRING, "the company's id (the account_id of every other table)"),
            optional("name", "the company's name"),
            optional("owner", "its owner: the CSM or account manager"),
            optional("industry", "its industry"),
            optional("country", "its country"),
            optional("city", "its city"),
            optional("tags", CrmColumn.Kind.TAGS, "its tags, from `;`-separated text"),
            optional("created_at", CrmColumn.Kind.DATE, "when the company was created in the CRM")),
    END_USERS("end_users", List.of("user_id"),
            required("user_id", CrmColumn.Kind.STRING, "the user's id (as in the events)"),
            optional("company_id", "the user's company"),
            optional("email", "the user's email address"),
            optional("name", "the user's name"),
            optional("role", "the user's role, e.g. `admin`"),
            optional("title", "the user's job title"),
            optional("created_at", CrmColumn.Kind.DATE, "when the user was created in the CRM")),
    LICENSES("licenses", List.of("license_id"),
            required("license_id", CrmColumn.Kind.STRING, "the license's id"),
            required("company_id", CrmColumn.Kind.STRING, "the company that holds it"),
            optional("product", "the product licensed"),
            required("amount", CrmColumn.Kind.AMOUNT, "its price per period, zero or more"),
            optional("period", CrmColumn.Kind.PERIOD, "`monthly` or `annual` (`annual` when empty)"),
            optional("currency", "the amount's currency"),
            optional("seats", CrmColumn.Kind.COUNT, "seats licensed, zero or more"),
            required("start_date", CrmColumn.Kind.DATE, "the first day it is active"),
            optional("end_date", CrmColumn.Kind.DATE, "the last day it is active; empty when open-ended")),
    NPS_RESPONSES("nps_responses", List.of("response_id"),
            required("response_id", CrmColumn.Kind.STRING, "the response's id"),
            optional("user_id", "the user who answered"),
            optional("company_id", "the user's company, when the extract names it"),
            required("score", CrmColumn.Kind.SCORE, "the score, 0 to 10"),
            required("responded_at", CrmColumn.Kind.TIMESTAMP, "when the user answered"),
            optional("comment", "the user's comment")),
    CONVERSATIONS("conversations", List.of("conversation_id"),
            required("conversation_id", CrmColumn.Kind.STRING, "the conversation's id"),
            required("company_id", CrmColumn.Kind.STRING, "the company it was with"),
            optional("user_id", "the user it was with, when known"),
            optional("type", CrmColumn.Kind.LOWER, "`email`, `ticket`, `meeting`, `call` or `note` (lower case)"),
            required("created_at", CrmColumn.Kind.TIMESTAMP, "when it happened")),
    INVOICES("invoices", List.of("invoice_id"),
            required("invoice_id", CrmColumn.Kind.STRING, "the invoice's id"),
            required("company_id", CrmColumn.Kind.STRING, "the company invoiced"),
            optional("amount", CrmColumn.Kind.DOUBLE, "the amount invoiced"),
            optional("issued_at", CrmColumn.Kind.DATE, "the day it was issued"),
            optional("due_date", CrmColumn.Kind.DATE, "the day it is due"),
            optional("status", CrmColumn.Kind.INVOICE_STATUS, "`open`, `paid` or `void`")),
    CUSTOM_METRICS("custom_metrics", List.of("entity_type", "entity_id", "metric", "date"),
            required("entity_type", CrmColumn.Kind.ENTITY_TYPE, "`account` or `user`"),
            required("entity_id", CrmColumn.Kind.STRING, "the account_id or user_id"),
            required("metric", CrmColumn.Kind.STRING, "the metric's name, as `custom:<metric>` sources name it"),
            required("date", CrmColumn.Kind.DATE, "the day the value is for"),
            required("value", CrmColumn.Kind.DOUBLE, "the value"));

    /** The raw zone folder of every entity, {@code crm/}, and its source's prefix in meta/ingested_batches. */
    public static final String SOURCE_PREFIX = "crm/";

    /**
     * Columns beatline adds to every CRM row (and snapshot_date, which older lakes had): an
     * extract's column of one of these names is not a custom column.
     */
    public static final List<String> LINEAGE = List.of(CrmVersions.VALID_FROM, CrmVersions.VALID_TO, CrmVersions.ROW_HASH,
            "snapshot_date", "source_file", "run_id");

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
            schema = schema.add(column.name(), column.kind().type, !column.required(), column.description());
        }
        schema = schema.add(CrmVersions.VALID_FROM, DataTypes.DateType, false,
                        "the snapshot date this version of the record first appeared on")
                .add(CrmVersions.VALID_TO, DataTypes.DateType, true,
                        "the snapshot date it changed or vanished on; null while it is current")
                .add(CrmVersions.ROW_HASH, DataTypes.StringType, false,
                        "SHA-256 of the version's columns: a record whose hash is unchanged in a new snapshot keeps its version")
                .add("source_file", DataTypes.StringType, false, "the file the version was first read from")
                .add("run_id", DataTypes.StringType, false, "the ingestion run that first wrote it");
        List<String> tableKey = new ArrayList<>(key);
        tableKey.add(CrmVersions.VALID_FROM);
        // partitioned by valid_to: a day's snapshot rewrites only the current versions and adds the ones it closed
        this.table = new TableSpec("silver", entityName, schema, tableKey, List.of(CrmVersions.VALID_TO),
                "one row per version of a " + entityName.replaceAll("s$", "").replace("_", " ")
                        + " (valid_from to valid_to)", true);
    }

    /** The entity's own columns in table order, then the custom columns given: what a version's row_hash covers. */
    public List<String> dataColumns(Collection<String> customColumns) {
        List<String> names = new ArrayList<>(columns.stream().map(CrmColumn::name).toList());
        customColumns.stream().sorted().forEach(names::add);
        return names;
    }

    /** The raw zone folder: {@code crm/<name>}. */
    public String source() {
        return SOURCE_PREFIX + entityName;
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
