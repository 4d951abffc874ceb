package io.beatline.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.UserDailyActivity;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.EntityType;
import io.beatline.config.MetricDefinition;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmSnapshots;
import io.beatline.engagement.UserEngagement;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Job {@code metrics}: evaluates every calculated metric of config {@code metrics} for D into
 * {@code metric_values}, and keeps {@code metric_definitions} current. Aggregates read
 * {@code user_daily_activity} and the CRM's custom metrics, never raw events; users' events
 * count for the account {@code user_engagement} gives them.
 */
public final class MetricsJob {

    public static final String JOB = "metrics";

    private final JobContext context;
    private final TableStore store;

    public MetricsJob(JobContext context) {
        this.context = context;
        this.store = context.store();
    }

    public JobResult run(LocalDate asOf) {
        List<MetricDefinition> metrics = context.config().metrics();
        return JobRunner.run(context, JOB, asOf, runId -> {
            Date d = Date.valueOf(asOf);
            Dataset<Row> engagement = store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(d)));
            Dataset<Row> accounts = store.read(AccountKpis.TABLE).filter(col("as_of_date").equalTo(lit(d)));
            LocalDate readFrom = MetricValues.readFrom(metrics, asOf);
            Dataset<Row> activity = store.read(UserDailyActivity.TABLE).filter(col("activity_date").leq(lit(d)));
            if (readFrom != null) {
                activity = activity.filter(col("activity_date").geq(lit(Date.valueOf(readFrom))));
            }
            Dataset<Row> custom = CrmSnapshots.asOf(store, CrmEntity.CUSTOM_METRICS, asOf);

            Dataset<Row> values = values(metrics, engagement, accounts, activity, custom, asOf);
            store.replace(MetricDefinitions.TABLE,
                    context.spark().createDataFrame(MetricDefinitions.rows(metrics), MetricDefinitions.TABLE.schema()),
                    "metric IS NOT NULL");
            if (values == null) {
                values = context.spark().createDataFrame(List.of(), MetricValues.TABLE.schema());
            }
            long written = store.replace(MetricValues.TABLE, values.withColumn("as_of_date", lit(d)),
                    "as_of_date = DATE'" + asOf + "' AND NOT " + HealthJob.HEALTH_ROWS);
            return new JobResult(RowCounts.written(written), metrics.size() + " metrics, " + written + " values");
        });
    }

    /**
     * Resolves every metric's {@code value} against empty frames of its inputs' schemas: a value
     * that names an unknown column or aggregate is a config error naming the metric, found before
     * any stage writes (pipeline/ConfigCheck calls it for every command).
     */
    public static void check(SparkSession spark, BeatlineConfig config) {
        if (!config.metrics().isEmpty()) {
            values(config.metrics(), empty(spark, UserEngagement.TABLE), empty(spark, AccountKpis.TABLE),
                    empty(spark, UserDailyActivity.TABLE), empty(spark, CrmEntity.CUSTOM_METRICS.table),
                    LocalDate.now(config.timeZone()));
        }
    }

    private static Dataset<Row> empty(SparkSession spark, TableSpec table) {
        return spark.createDataFrame(List.of(), table.schema());
    }

    /**
     * Every metric's value for every entity of its type, from D's engagement and KPI rows,
     * activity and custom metrics; null when no metric is configured.
     */
    private static Dataset<Row> values(List<MetricDefinition> metrics, Dataset<Row> engagement, Dataset<Row> accounts,
                                       Dataset<Row> activity, Dataset<Row> custom, LocalDate asOf) {
        Dataset<Row> values = null;
        for (EntityType entity : EntityType.values()) {
            List<MetricDefinition> ofEntity = metrics.stream().filter(m -> m.entity() == entity).toList();
            if (ofEntity.isEmpty()) {
                continue;
            }
            Dataset<Row> facts;
            Dataset<Row> entities;
            String idColumn;
            Dataset<Row> customOfEntity = custom.filter(col("entity_type").equalTo(entity.configName()));
            if (entity == EntityType.USER) {
                facts = MetricValues.facts(activity.withColumn("entity_id", col("user_id")), customOfEntity);
                entities = engagement;
                idColumn = "user_id";
            } else {
                Dataset<Row> userAccounts = engagement.select(col("user_id").as("a_user"), col("account_id").as("entity_id"))
                        .filter(col("entity_id").isNotNull());
                facts = MetricValues.facts(activity.join(userAccounts, col("user_id").equalTo(col("a_user"))), customOfEntity);
                entities = accounts;
                idColumn = "account_id";
            }
            Dataset<Row> ofType = analysed(ofEntity, facts, entities, idColumn, asOf)
                    .withColumn("entity_type", lit(entity.configName()));
            values = values == null ? ofType : values.unionByName(ofType);
        }
        return values;
    }

    /** Builds the values; a value expression that does not resolve is a config error naming the metric. */
    private static Dataset<Row> analysed(List<MetricDefinition> metrics, Dataset<Row> facts, Dataset<Row> entities,
                                         String idColumn, LocalDate asOf) {
        for (MetricDefinition metric : metrics) {
            try {
                MetricValues.compute(List.of(metric), facts, entities, idColumn, asOf).schema();
            } catch (Exception e) { // AnalysisException is checked, thrown undeclared
                String problem = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
                throw BeatlineException.config("Configuration error in " + metric.origin() + ": key 'metrics." + metric.name()
                        + ".value': " + problem.lines().findFirst().orElse(problem)
                        + " (a value may use the metric's aggregates and the columns of "
                        + (idColumn.equals("user_id") ? "user_engagement" : "account_kpis") + ")");
            }
        }
        return MetricValues.compute(metrics, facts, entities, idColumn, asOf);
    }
}
