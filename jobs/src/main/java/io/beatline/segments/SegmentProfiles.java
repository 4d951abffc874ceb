package io.beatline.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.beatline.core.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The profiles segment rules read (SPEC 3.4 "Fields"), one row per entity of the as-of date,
 * with exactly the columns of {@link ProfileFields}: a field the data lacks (a custom CRM column
 * not delivered yet) is null.
 */
public final class SegmentProfiles {

    private SegmentProfiles() {
    }

    /**
     * One row per account of account_kpis for D: its KPIs, its company's CRM columns and, when
     * {@code schema} has it, {@code metric}. {@code metricValues}: entity_id, metric, value of
     * the accounts' metric_values for D.
     */
    public static Dataset<Row> accounts(Dataset<Row> kpis, Dataset<Row> companies, Dataset<Row> metricValues, StructType schema) {
        Columns.require(kpis, "the account KPIs", "account_id");
        Columns.require(companies, "the CRM's companies", "company_id");
        Columns.require(metricValues, "the accounts' metric values", "entity_id", "metric", "value");
        Dataset<Row> joined = kpis.join(companies.withColumnRenamed("company_id", "__company_id").drop("owner"),
                col("account_id").equalTo(col("__company_id")), "left");
        return conform(withMetrics(joined, "account_id", metricValues, schema), schema);
    }

    /**
     * One row per user of user_engagement for D: its engagement, its CRM end-user columns,
     * {@code account} (the account profile of its account_id) and {@code metric}.
     */
    public static Dataset<Row> users(Dataset<Row> engagement, Dataset<Row> endUsers, Dataset<Row> accountProfiles,
                                     Dataset<Row> metricValues, StructType schema) {
        Columns.require(engagement, "user engagement", "user_id", "account_id");
        Columns.require(endUsers, "the CRM's end users", "user_id");
        Columns.require(accountProfiles, "the account profiles", "account_id");
        Columns.require(metricValues, "the users' metric values", "entity_id", "metric", "value");
        StructType accountSchema = (StructType) schema.apply("account").dataType();
        Dataset<Row> accounts = accountProfiles.select(col("account_id").as("__account_key"),
                struct(Arrays.stream(accountSchema.fieldNames()).map(name -> col("`" + name + "`")).toArray(Column[]::new))
                        .as("account"));
        Dataset<Row> joined = engagement
                .join(endUsers.withColumnRenamed("user_id", "__crm_user_id"), col("user_id").equalTo(col("__crm_user_id")), "left")
                .join(accounts, col("account_id").equalTo(col("__account_key")), "left");
        return conform(withMetrics(joined, "user_id", metricValues, schema), schema);
    }

    /** Adds {@code metric}, a struct of the entity's metric values, when the schema has one. */
    private static Dataset<Row> withMetrics(Dataset<Row> profiles, String idColumn, Dataset<Row> metricValues, StructType schema) {
        if (!Arrays.asList(schema.fieldNames()).contains("metric")) {
            return profiles;
        }
        StructType metricSchema = (StructType) schema.apply("metric").dataType();
        List<Object> names = Arrays.asList((Object[]) metricSchema.fieldNames());
        Dataset<Row> pivoted = metricValues.groupBy(col("entity_id").as("__metric_entity"))
                .pivot("metric", names).agg(first("value"));
        List<Column> fields = new ArrayList<>();
        for (StructField field : metricSchema.fields()) {
            fields.add(col("`" + field.name() + "`").cast(field.dataType()).as(field.name()));
        }
        Dataset<Row> metrics = pivoted.select(col("__metric_entity"), struct(fields.toArray(Column[]::new)).as("metric"));
        return profiles.join(metrics, col(idColumn).equalTo(col("__metric_entity")), "left");
    }

    /** The schema's columns from {@code rows}, typed; a column {@code rows} lacks is a typed null. */
    private static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
        List<String> present = Arrays.asList(rows.columns());
        List<Column> columns = new ArrayList<>();
        for (StructField field : schema.fields()) {
            Column value = present.contains(field.name()) ? col("`" + field.name() + "`") : lit(null);
            columns.add(value.cast(field.dataType()).as(field.name()));
        }
        return rows.select(columns.toArray(Column[]::new));
    }
}
