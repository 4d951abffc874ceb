package io.beatline.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DoubleType;

import io.beatline.config.HealthComponent;
import io.beatline.core.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Health scores (SPEC 3.3): each component scores {@code clamp((v - bad) / (good - bad), 0, 1) * 100}
 * of its source (a calculated metric, or a column of the entity's table); the health score is
 * the weighted mean of the components that have a value, null when none has.
 */
public final class HealthScores {

    /** The metric under which an entity's health score is kept in metric_values. */
    public static final String HEALTH = "health";

    private HealthScores() {
    }

    /** The metric name of a component's score: {@code health.<component>}. */
    public static String componentMetric(HealthComponent component) {
        return HEALTH + "." + component.name();
    }

    /**
     * Adds {@code health.<component>} score columns and {@code health} to {@code entities} (keyed
     * by {@code idColumn}), reading metric sources from {@code metricValues} ({@code entity_id,
     * metric, value} of this entity type).
     */
    public static Dataset<Row> score(Dataset<Row> entities, String idColumn, Dataset<Row> metricValues,
                                     List<HealthComponent> components) {
        Columns.require(entities, "the scored entities", idColumn);
        Columns.require(metricValues, "metric values", "entity_id", "metric", "value");
        List<HealthComponent> fromMetrics = components.stream().filter(HealthComponent::sourceIsMetric).toList();
        Dataset<Row> scored = entities;
        if (!fromMetrics.isEmpty()) {
            List<Column> pivot = new ArrayList<>();
            for (HealthComponent component : fromMetrics) {
                pivot.add(max(when(col("metric").equalTo(component.source()), col("value"))).as("source__" + component.name()));
            }
            Dataset<Row> sources = metricValues.groupBy(col("entity_id").as("source_entity_id"))
                    .agg(pivot.get(0), pivot.subList(1, pivot.size()).toArray(Column[]::new));
            scored = scored.join(sources, scored.col(idColumn).equalTo(sources.col("source_entity_id")), "left")
                    .drop("source_entity_id");
        }
        Column weighted = lit(0.0);
        Column weights = lit(0.0);
        for (HealthComponent component : components) {
            Column value = (component.sourceIsMetric() ? col("source__" + component.name()) : col("`" + component.source() + "`"))
                    .cast(DoubleType);
            Column ratio = value.minus(component.bad()).divide(component.good() - component.bad());
            Column score = when(value.isNotNull(), least(lit(1.0), greatest(lit(0.0), ratio)).multiply(100));
            scored = scored.withColumn(componentMetric(component), score);
            Column present = col("`" + componentMetric(component) + "`");
            weighted = weighted.plus(when(present.isNotNull(), present.multiply(component.weight())).otherwise(0.0));
            weights = weights.plus(when(present.isNotNull(), lit(component.weight())).otherwise(0.0));
        }
        return scored.withColumn(HEALTH, when(weights.gt(0), weighted.divide(weights)));
    }
}
