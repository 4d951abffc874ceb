package io.beatline.segments;

import io.beatline.accounts.AccountKpis;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.CustomFieldType;
import io.beatline.config.EntityType;
import io.beatline.config.MetricDefinition;
import io.beatline.core.BeatlineException;
import io.beatline.crm.CrmColumn;
import io.beatline.crm.CrmEntity;
import io.beatline.engagement.UserEngagement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The fields a segment rule can use (SPEC 3.4), known from the table contracts and the config
 * before anything runs. A user's profile: its user_engagement row, its CRM end_user columns,
 * {@code account.<field>} (its account's profile) and {@code metric.<name>}. An account's profile:
 * its account_kpis row, its CRM company columns and {@code metric.<name>}. CRM custom columns are
 * fields once typed in {@code crm.custom-fields} (string is a type).
 */
public final class ProfileFields {

    /** What a field holds, as far as operators care. */
    public enum FieldType {
        NUMBER, STRING, DATE, BOOLEAN, LIST;

        static FieldType of(DataType type) {
            if (type instanceof NumericType) {
                return NUMBER;
            }
            if (type instanceof StringType) {
                return STRING;
            }
            if (type instanceof DateType || type instanceof TimestampType) {
                return DATE;
            }
            if (type instanceof BooleanType) {
                return BOOLEAN;
            }
            if (type instanceof ArrayType) {
                return LIST;
            }
            throw new IllegalArgumentException("no field type for " + type);
        }

        public String describe() {
            return switch (this) {
                case NUMBER -> "a number";
                case STRING -> "a string";
                case DATE -> "a date";
                case BOOLEAN -> "a boolean";
                case LIST -> "a list of strings";
            };
        }
    }

    /** Profile columns that only link tables and add nothing a rule needs. */
    private static final Set<String> LEFT_OUT = Set.of("as_of_date", "snapshot_date", "valid_from", "valid_to", "row_hash", "source_file", "run_id");

    private final EntityType entity;
    private final StructType schema;
    private final Map<String, FieldType> fields = new LinkedHashMap<>();

    private ProfileFields(EntityType entity, StructType schema) {
        this.entity = entity;
        this.schema = schema;
        for (StructField field : schema.fields()) {
            if (field.dataType() instanceof StructType struct) {
                for (StructField inner : struct.fields()) {
                    fields.put(field.name() + "." + inner.name(), FieldType.of(inner.dataType()));
                }
            } else {
                fields.put(field.name(), FieldType.of(field.dataType()));
            }
        }
    }

    public static ProfileFields of(EntityType entity, BeatlineConfig config) {
        return new ProfileFields(entity, entity == EntityType.USER ? userSchema(config) : accountSchema(config, true));
    }

    public EntityType entity() {
        return entity;
    }

    /** The profile's columns: one per field, with {@code account} and {@code metric} as structs. */
    public StructType schema() {
        return schema;
    }

    public FieldType type(String field) {
        return fields.get(field);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public List<String> names() {
        return List.copyOf(fields.keySet());
    }

    /** The user profile: engagement, end-user CRM columns, the account's profile, the user's metrics. */
    static StructType userSchema(BeatlineConfig config) {
        StructType schema = new StructType();
        for (StructField field : UserEngagement.TABLE.schema().fields()) {
            schema = add(schema, field.name(), field.dataType());
        }
        schema = addCrm(schema, CrmEntity.END_USERS, config, Set.of("user_id"));
        schema = schema.add("account", accountSchema(config, false), true);
        return withMetrics(schema, config, EntityType.USER);
    }

    /** The account profile: account KPIs, company CRM columns and (for accounts themselves) their metrics. */
    static StructType accountSchema(BeatlineConfig config, boolean withMetrics) {
        StructType schema = new StructType();
        for (StructField field : AccountKpis.TABLE.schema().fields()) {
            schema = add(schema, field.name(), field.dataType());
        }
        schema = addCrm(schema, CrmEntity.COMPANIES, config, Set.of("company_id", "owner"));
        return withMetrics ? withMetrics(schema, config, EntityType.ACCOUNT) : schema;
    }

    private static StructType addCrm(StructType schema, CrmEntity entity, BeatlineConfig config, Set<String> skip) {
        for (CrmColumn column : entity.columns) {
            if (!skip.contains(column.name())) {
                schema = add(schema, column.name(), column.kind().type);
            }
        }
        for (Map.Entry<String, CustomFieldType> custom : config.crmCustomFields().getOrDefault(entity.entityName, Map.of()).entrySet()) {
            if (List.of(schema.fieldNames()).contains(custom.getKey())) {
                throw BeatlineException.config("Configuration error: key 'crm.custom-fields." + entity.entityName + "."
                        + custom.getKey() + "': '" + custom.getKey() + "' is already a field of the profile segments use;"
                        + " rename the CRM column");
            }
            schema = add(schema, custom.getKey(), CrmColumn.Kind.of(custom.getValue()).type);
        }
        return schema;
    }

    private static StructType add(StructType schema, String name, DataType type) {
        return LEFT_OUT.contains(name) ? schema : schema.add(name, type, true);
    }

    /** A {@code metric} struct: {@code metric.<name>} per configured metric of the entity, {@code metric.health} with health. */
    private static StructType withMetrics(StructType profile, BeatlineConfig config, EntityType entity) {
        List<String> names = metricNames(config, entity);
        if (names.isEmpty()) {
            return profile;
        }
        StructType metrics = new StructType();
        for (String name : names) {
            metrics = metrics.add(name, DataTypes.DoubleType, true);
        }
        return profile.add("metric", metrics, true);
    }

    /** The metric_values metrics of an entity a profile carries. */
    static List<String> metricNames(BeatlineConfig config, EntityType entity) {
        List<String> names = new ArrayList<>();
        for (MetricDefinition metric : config.metrics()) {
            if (metric.entity() == entity) {
                names.add(metric.name());
            }
        }
        if (config.health().containsKey(entity)) {
            names.add("health");
        }
        return names;
    }
}
