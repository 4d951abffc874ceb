package io.beatline.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.accounts.AccountKpis;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.EntityType;
import io.beatline.config.HealthComponent;
import io.beatline.config.MetricDefinition;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.TableStore;
import io.beatline.engagement.UserEngagement;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Job {@code health}: health scores for D from config {@code health}, after the metrics. Writes
 * each component's score ({@code health.<component>}) and the score ({@code health}) to
 * {@code metric_values}, and the accounts' score to {@code account_kpis.health_score}.
 */
public final class HealthJob {

    public static final String JOB = "health";

    /** The rows of metric_values this job owns; the metrics job leaves them alone. */
    static final String HEALTH_ROWS = "(metric = 'health' OR metric LIKE 'health.%')";

    private final JobContext context;
    private final TableStore store;

    public HealthJob(JobContext context) {
        this.context = context;
        this.store = context.store();
    }

    /**
     * Every component's source is a metric of its entity or a column of its table (account_kpis,
     * user_engagement): else a config error naming the component, found before any stage writes
     * (pipeline/ConfigCheck calls it for every command).
     */
    public static void check(BeatlineConfig config) {
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

    public JobResult run(LocalDate asOf) {
        Map<EntityType, List<HealthComponent>> health = context.config().health();
        return JobRunner.run(context, JOB, asOf, runId -> {
            Date d = Date.valueOf(asOf);
            Dataset<Row> ofDate = store.read(MetricValues.TABLE).filter(col("as_of_date").equalTo(lit(d)));
            Dataset<Row> rows = null;
            Dataset<Row> accountsScored = null;
            for (Map.Entry<EntityType, List<HealthComponent>> entry : health.entrySet()) {
                boolean accounts = entry.getKey() == EntityType.ACCOUNT;
                Dataset<Row> entities = store.read(accounts ? AccountKpis.TABLE : UserEngagement.TABLE)
                        .filter(col("as_of_date").equalTo(lit(d)));
                String idColumn = accounts ? "account_id" : "user_id";
                Dataset<Row> scored = HealthScores.score(entities, idColumn,
                        ofDate.filter(col("entity_type").equalTo(entry.getKey().configName())), entry.getValue());
                List<String> metrics = new ArrayList<>();
                entry.getValue().forEach(c -> metrics.add(HealthScores.componentMetric(c)));
                metrics.add(HealthScores.HEALTH);
                for (String metric : metrics) {
                    Dataset<Row> one = scored.select(lit(d).as("as_of_date"), lit(entry.getKey().configName()).as("entity_type"),
                            col(idColumn).as("entity_id"), lit(metric).as("metric"), col("`" + metric + "`").as("value"));
                    rows = rows == null ? one : rows.unionByName(one);
                }
                if (accounts) {
                    accountsScored = scored;
                }
            }
            if (rows == null) {
                return new JobResult(RowCounts.NONE, "no health components configured");
            }
            long written = store.replace(MetricValues.TABLE, rows, "as_of_date = DATE'" + asOf + "' AND " + HEALTH_ROWS);
            if (accountsScored != null) {
                Column[] columns = Arrays.stream(AccountKpis.TABLE.columns())
                        .map(name -> name.equals("health_score") ? col(HealthScores.HEALTH).as(name) : col(name))
                        .toArray(Column[]::new);
                store.replace(AccountKpis.TABLE, accountsScored.select(columns), "as_of_date = DATE'" + asOf + "'");
            }
            return new JobResult(RowCounts.written(written), written + " health values for "
                    + String.join(" and ", health.keySet().stream().map(EntityType::configName).toList()) + "s");
        });
    }
}
