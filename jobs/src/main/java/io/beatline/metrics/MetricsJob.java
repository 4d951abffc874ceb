package io.beatline.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.MonthlyRollups;
import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.activity.UserMonthlyEvents;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.EntityType;
import io.beatline.config.HealthComponent;
import io.beatline.config.MetricDefinition;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.Stage;
import io.beatline.core.TableSpec;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmSnapshots;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.Identities;
import io.beatline.ingest.SilverEvents;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Stage {@code metrics}: account KPIs, calculated metrics and health scores for D, the one
 * writer of {@code account_kpis}, {@code metric_values} and {@code metric_definitions}. The three
 * depend on each other in a cycle that one stage breaks in memory: a metric's value may use the
 * accounts' KPI columns, a health component may use a metric, and the accounts' health score is
 * a KPI column. So the KPIs are computed (and kept for the stage), then the metrics, then the
 * health scores, and each table is written once: account_kpis with its health_score, and
 * metric_values with the metrics and the health rows ({@code health.<component>}, {@code health}).
 * Aggregates read {@code user_daily_activity} and the CRM's custom metrics, never raw events
 * (an aggregate with a where reads silver events of its window, once for all such aggregates);
 * users' events count for the account {@code user_engagement} gives them.
 */
public final class MetricsJob extends Stage {

    public static final String JOB = "metrics";

    public MetricsJob(JobContext context) {
        super(context, JOB, List.of(UserEngagement.TABLE, UserDailyActivity.TABLE, UserMonthlyActivity.TABLE, UserMonthlyEvents.TABLE,
                SilverEvents.TABLE,
                Identities.TABLE,
                CrmEntity.COMPANIES.table, CrmEntity.LICENSES.table, CrmEntity.NPS_RESPONSES.table, CrmEntity.CONVERSATIONS.table,
                CrmEntity.INVOICES.table, CrmEntity.CUSTOM_METRICS.table),
                List.of(AccountKpis.TABLE, MetricValues.TABLE, MetricDefinitions.TABLE));
    }

    @Override
    public JobResult run(LocalDate asOf) {
        BeatlineConfig config = context.config();
        return JobRunner.run(context, JOB, asOf, runId -> {
            MonthlyRollups.requireRolledUp(store, asOf, JOB);
            Date d = Date.valueOf(asOf);
            Dataset<Row> engagement = store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(d)));
            if (engagement.isEmpty()) {
                throw BeatlineException.jobFailure("user_engagement has no rows for " + asOf
                        + ": run `beatline engagement --as-of " + asOf + "` first (or `beatline run --as-of " + asOf + "`).", null);
            }
            Dataset<Row> kpis = accountKpis(engagement, asOf).persist();
            Dataset<Row> values = null;
            List<Dataset<Row>> kept = new ArrayList<>();
            try {
                values = metricValues(engagement, kpis, asOf, kept).persist();
                Health health = health(config.health(), engagement, kpis, values, d);
                long accounts = store.replacePartition(AccountKpis.TABLE, health.accounts(), asOf);
                store.replaceAll(MetricDefinitions.TABLE,
                        context.spark().createDataFrame(MetricDefinitions.rows(config.metrics()), MetricDefinitions.TABLE.schema()));
                Dataset<Row> rows = values.withColumn("as_of_date", lit(d));
                if (health.rows() != null) {
                    rows = rows.unionByName(health.rows());
                }
                long written = store.replacePartition(MetricValues.TABLE, rows, asOf);
                return new JobResult(RowCounts.written(accounts + written), accounts + " accounts, "
                        + config.metrics().size() + " metrics, " + written + " values" + health.summary());
            } finally {
                kpis.unpersist();
                if (values != null) {
                    values.unpersist();
                }
                kept.forEach(Dataset::unpersist);
            }
        });
    }

    /** D's account KPIs with health_score still null (see {@link AccountKpis#compute}). */
    private Dataset<Row> accountKpis(Dataset<Row> engagement, LocalDate asOf) {
        Date d = Date.valueOf(asOf);
        Date monthStart = Date.valueOf(asOf.withDayOfMonth(1));
        Dataset<Row> accountsInEvents = AccountKpis.accountsInEvents(
                store.read(UserDailyActivity.TABLE).filter(col("activity_date").between(lit(monthStart), lit(d))),
                store.read(UserMonthlyActivity.TABLE).filter(col("month").lt(lit(monthStart))));
        AccountKpis.Inputs inputs = new AccountKpis.Inputs(engagement, accountsInEvents,
                CrmSnapshots.asOf(store, CrmEntity.COMPANIES, asOf),
                CrmSnapshots.asOf(store, CrmEntity.LICENSES, asOf),
                CrmSnapshots.asOf(store, CrmEntity.NPS_RESPONSES, asOf),
                CrmSnapshots.asOf(store, CrmEntity.CONVERSATIONS, asOf),
                CrmSnapshots.asOf(store, CrmEntity.INVOICES, asOf));
        return AccountKpis.compute(inputs, asOf, context.config().npsWindowDays());
    }

    /**
     * Every configured metric's value for D: {@code entity_type, entity_id, metric, value}; the
     * entities with their aggregates, which every metric reads, are cached into {@code kept}.
     */
    private Dataset<Row> metricValues(Dataset<Row> engagement, Dataset<Row> kpis, LocalDate asOf, List<Dataset<Row>> kept) {
        List<MetricDefinition> metrics = context.config().metrics();
        Dataset<Row> custom = CrmSnapshots.asOf(store, CrmEntity.CUSTOM_METRICS, asOf);
        Dataset<Row> values = values(metrics, engagement, kpis, ofEntity -> activity(ofEntity, asOf), custom, asOf,
                aggregated -> {
                    kept.add(aggregated.persist());
                    return aggregated;
                });
        return values != null ? values
                : context.spark().createDataFrame(List.of(), MetricValues.TABLE.schema()).drop("as_of_date");
    }

    /**
     * The daily activity rows the metrics of one entity type read ({@code user_id,
     * activity_date, event, event_count, weighted_count}): the days of their longest window and
     * only the events they name (each entity type its own, so a user metric of 14 days does not
     * read the accounts' all-time months), the months before from the monthly rollup for all-time
     * sums, counts, users and days_since, and the rows of their aggregates with a where from
     * silver events of the longest such window.
     */
    private Dataset<Row> activity(List<MetricDefinition> metrics, LocalDate asOf) {
        Date d = Date.valueOf(asOf);
        LocalDate readFrom = MetricValues.readFrom(metrics, asOf, false);
        Optional<List<String>> named = MetricValues.eventsRead(metrics);
        Dataset<Row> activity = store.read(UserDailyActivity.TABLE).filter(col("activity_date").leq(lit(d)));
        Optional<LocalDate> monthlyBefore = MetricValues.monthlyRowsBefore(metrics, asOf);
        if (readFrom != null) {
            activity = activity.filter(col("activity_date").geq(lit(Date.valueOf(readFrom))));
        } else if (monthlyBefore.isPresent() && store.exists(UserMonthlyEvents.TABLE)) {
            // all-time sums, counts, users and days_since: the months before the windows from the monthly rollup
            Date from = Date.valueOf(monthlyBefore.get());
            activity = activity.filter(col("activity_date").geq(lit(from)))
                    .select("user_id", "activity_date", "event", "event_count", "weighted_count")
                    .unionByName(UserMonthlyEvents.asDaily(store.read(UserMonthlyEvents.TABLE).filter(col("month").lt(lit(from)))));
        }
        if (named.isPresent()) { // pushed into both sides of the union
            activity = activity.filter(col("event").isin(named.get().toArray()));
        }
        if (MetricValues.readsEvents(metrics)) {
            // the aggregates with a where: silver events of their longest window, each counted for its user, read once
            Dataset<Row> events = store.read(SilverEvents.TABLE).filter(col("counted").and(col("event_date").leq(lit(d))));
            LocalDate eventsFrom = MetricValues.readFrom(metrics, asOf, true);
            if (eventsFrom != null) {
                events = events.filter(col("event_date").geq(lit(Date.valueOf(eventsFrom))));
            }
            activity = activity.select("user_id", "activity_date", "event", "event_count", "weighted_count").unionByName(
                    MetricValues.whereActivity(metrics, Identities.attribute(events, store.read(Identities.TABLE))));
        }
        return activity;
    }

    /**
     * The accounts' KPI rows with their health score, the health rows of metric_values
     * ({@code health.<component>} and {@code health} per scored entity; null when no health is
     * configured) and the report's words.
     */
    private record Health(Dataset<Row> accounts, Dataset<Row> rows, String summary) {
    }

    private static Health health(Map<EntityType, List<HealthComponent>> health, Dataset<Row> engagement,
                                 Dataset<Row> kpis, Dataset<Row> values, Date d) {
        Dataset<Row> rows = null;
        Dataset<Row> accounts = kpis;
        for (Map.Entry<EntityType, List<HealthComponent>> entry : health.entrySet()) {
            boolean ofAccounts = entry.getKey() == EntityType.ACCOUNT;
            String idColumn = ofAccounts ? "account_id" : "user_id";
            Dataset<Row> scored = HealthScores.score(ofAccounts ? kpis : engagement, idColumn,
                    values.filter(col("entity_type").equalTo(entry.getKey().configName())), entry.getValue());
            List<String> metrics = new ArrayList<>();
            entry.getValue().forEach(c -> metrics.add(HealthScores.componentMetric(c)));
            metrics.add(HealthScores.HEALTH);
            for (String metric : metrics) {
                Dataset<Row> one = scored.select(lit(d).as("as_of_date"), lit(entry.getKey().configName()).as("entity_type"),
                        col(idColumn).as("entity_id"), lit(metric).as("metric"), col("`" + metric + "`").as("value"));
                rows = rows == null ? one : rows.unionByName(one);
            }
            if (ofAccounts) {
                accounts = scored.select(Arrays.stream(AccountKpis.TABLE.columns())
                        .map(name -> name.equals("health_score") ? col(HealthScores.HEALTH).as(name) : col(name))
                        .toArray(Column[]::new));
            }
        }
        String summary = health.isEmpty() ? "" : " (health for "
                + String.join(" and ", health.keySet().stream().map(e -> e.configName() + "s").toList()) + ")";
        return new Health(accounts, rows, summary);
    }

    /**
     * Resolves every metric's {@code value} against empty frames of its inputs' schemas (a value
     * that names an unknown column or aggregate is a config error naming the metric), and checks
     * that every health component's source is a metric of its entity or a column of its table
     * (account_kpis, user_engagement). Both are found before any stage writes:
     * pipeline/ConfigCheck calls this for every command.
     */
    public static void check(SparkSession spark, BeatlineConfig config) {
        if (!config.metrics().isEmpty()) {
            values(config.metrics(), empty(spark, UserEngagement.TABLE), empty(spark, AccountKpis.TABLE),
                    ofEntity -> empty(spark, UserDailyActivity.TABLE), empty(spark, CrmEntity.CUSTOM_METRICS.table),
                    LocalDate.now(config.timeZone()), UnaryOperator.identity());
        }
        for (MetricDefinition metric : config.metrics()) {
            for (MetricDefinition.Aggregate aggregate : metric.aggregates()) {
                if (aggregate.where().isPresent()) {
                    checkWhere(spark, metric, aggregate);
                }
            }
        }
        for (Map.Entry<EntityType, List<HealthComponent>> entry : config.health().entrySet()) {
            boolean accounts = entry.getKey() == EntityType.ACCOUNT;
            List<String> columns = Arrays.asList((accounts ? AccountKpis.TABLE : UserEngagement.TABLE).columns());
            for (HealthComponent component : entry.getValue()) {
                if (!component.sourceIsMetric() && !columns.contains(component.source())) {
                    throw BeatlineException.config("Configuration error: key 'health." + entry.getKey().configName()
                            + ".components." + component.name() + ".source': '" + component.source() + "' is neither a "
                            + entry.getKey().configName() + " metric nor a column of "
                            + (accounts ? "account_kpis" : "user_engagement"));
                }
            }
        }
    }

    /** An aggregate's where must resolve to a boolean over silver events' columns. */
    private static void checkWhere(SparkSession spark, MetricDefinition metric, MetricDefinition.Aggregate aggregate) {
        String key = "Configuration error in " + metric.origin() + ": key 'metrics." + metric.name() + ".aggregates."
                + aggregate.name() + ".where': ";
        org.apache.spark.sql.types.DataType type;
        try {
            type = empty(spark, SilverEvents.TABLE).select(expr(aggregate.where().get())).schema().fields()[0].dataType();
        } catch (Exception e) { // AnalysisException is checked, thrown undeclared
            String problem = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
            throw BeatlineException.config(key + "does not resolve against an event's columns ("
                    + String.join(", ", SilverEvents.TABLE.columns()) + "; properties.<key> reads a property): "
                    + problem.lines().findFirst().orElse(problem));
        }
        if (!(type instanceof org.apache.spark.sql.types.BooleanType)) {
            throw BeatlineException.config(key + "is " + type.simpleString() + ", not a boolean condition over an event");
        }
    }

    private static Dataset<Row> empty(SparkSession spark, TableSpec table) {
        return spark.createDataFrame(List.of(), table.schema());
    }

    /**
     * Every metric's value for every entity of its type, from D's engagement and KPI rows, the
     * activity the metrics of each entity type read and custom metrics; null when no metric is
     * configured.
     */
    private static Dataset<Row> values(List<MetricDefinition> metrics, Dataset<Row> engagement, Dataset<Row> accounts,
                                       Function<List<MetricDefinition>, Dataset<Row>> activityOf, Dataset<Row> custom,
                                       LocalDate asOf, UnaryOperator<Dataset<Row>> keep) {
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
            Dataset<Row> activity = activityOf.apply(ofEntity);
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
            Dataset<Row> ofType = analysed(ofEntity, facts, entities, idColumn, asOf, keep)
                    .withColumn("entity_type", lit(entity.configName()));
            values = values == null ? ofType : values.unionByName(ofType);
        }
        return values;
    }

    /**
     * Builds the values ({@code keep}: see {@link MetricValues#compute}); a value expression that
     * does not resolve is a config error naming the metric.
     */
    private static Dataset<Row> analysed(List<MetricDefinition> metrics, Dataset<Row> facts, Dataset<Row> entities,
                                         String idColumn, LocalDate asOf, UnaryOperator<Dataset<Row>> keep) {
        for (MetricDefinition metric : metrics) {
            try {
                MetricValues.compute(List.of(metric), facts, entities, idColumn, asOf, UnaryOperator.identity()).schema();
            } catch (Exception e) { // AnalysisException is checked, thrown undeclared
                String problem = e instanceof AnalysisException analysis ? analysis.getSimpleMessage() : e.getMessage();
                throw BeatlineException.config("Configuration error in " + metric.origin() + ": key 'metrics." + metric.name()
                        + ".value': " + problem.lines().findFirst().orElse(problem)
                        + " (a value may use the metric's aggregates and the columns of "
                        + (idColumn.equals("user_id") ? "user_engagement" : "account_kpis") + ")");
            }
        }
        return MetricValues.compute(metrics, facts, entities, idColumn, asOf, keep);
    }
}
