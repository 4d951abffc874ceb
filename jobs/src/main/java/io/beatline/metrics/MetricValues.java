package io.beatline.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.config.MetricDefinition.Aggregate;
import io.beatline.config.MetricDefinition;
import io.beatline.config.MetricDefinition.Op;
import io.beatline.core.ColumnRule;
import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/metric_values}: one row per as-of date, calculated metric and entity (SPEC 3.3),
 * partitioned by as-of date.
 */
public final class MetricValues {

    public static final TableSpec TABLE = new TableSpec("gold", "metric_values",
            new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date")
                    .add("entity_type", StringType, false,
                            "`account` or `user`")
                    .add("entity_id", StringType, false,
                            "the account_id or user_id")
                    .add("metric", StringType, false,
                            "the metric's name in the config; `health` and `health.<component>` for health scores")
                    .add("value", DoubleType, true,
                            "its value; empty when the expression gives null (e.g. an avg with no data)"),
            List.of("as_of_date", "entity_type", "entity_id", "metric"),
            List.of("as_of_date"),
            "one row per as-of date, metric and entity")
            .withRules(ColumnRule.oneOf("entity_type", List.of("user", "account")));

    private MetricValues() {
    }

    /**
     * The facts of one entity type, one row per entity, day and event (or custom metric):
     * {@code entity_id, user_id, date, event, event_count, weighted_count, metric, value}.
     */
    public static Dataset<Row> facts(Dataset<Row> activity, Dataset<Row> customMetrics) {
        Columns.require(activity, "activity", "entity_id", "user_id", "activity_date", "event", "event_count", "weighted_count");
        Columns.require(customMetrics, "custom metrics", "entity_id", "date", "metric", "value");
        Dataset<Row> events = activity.select(col("entity_id"), col("user_id"), col("activity_date").as("date"),
                col("event"), col("event_count"), col("weighted_count"),
                lit(null).cast(StringType).as("metric"), lit(null).cast(DoubleType).as("value"));
        Dataset<Row> custom = customMetrics.select(col("entity_id"), lit(null).cast(StringType).as("user_id"), col("date"),
                lit(null).cast(StringType).as("event"), lit(null).cast("long").as("event_count"),
                lit(null).cast(DoubleType).as("weighted_count"), col("metric"), col("value"));
        return events.unionByName(custom);
    }

    /**
     * The first date any aggregate of {@code metrics} over events reads from daily activity
     * ({@code fromEvents} false) or, for aggregates with a where, from silver events (true); null
     * when one reads all time, D when none reads. Custom sources read the CRM's custom metrics as
     * of D, whatever their window.
     */
    public static LocalDate readFrom(List<MetricDefinition> metrics, LocalDate asOf, boolean fromEvents) {
        LocalDate first = asOf;
        for (MetricDefinition metric : metrics) {
            for (Aggregate aggregate : metric.aggregates()) {
                if (aggregate.isCustom() || aggregate.where().isPresent() != fromEvents) {
                    continue;
                }
                if (aggregate.days().isEmpty()) {
                    return null;
                }
                LocalDate start = asOf.minusDays(aggregate.offsetDays() + aggregate.days().get() - 1L);
                first = start.isBefore(first) ? start : first;
            }
        }
        return first;
    }

    /**
     * When every all-time aggregate over daily activity is a {@code sum}, {@code count},
     * {@code users} or {@code days_since} (whose value over a month's days equals its value over
     * one row per user, month and event: {@code UserMonthlyEvents.asDaily}), the first day of the
     * month from which {@code metrics} read daily rows: every window with days starts on or after
     * it, and the months before it are read from user_monthly_events. Empty when an all-time
     * aggregate needs the days themselves (avg, min, max, last, active_days, avg_daily) or none
     * is all-time.
     */
    public static Optional<LocalDate> monthlyRowsBefore(List<MetricDefinition> metrics, LocalDate asOf) {
        LocalDate first = asOf;
        boolean allTime = false;
        for (MetricDefinition metric : metrics) {
            for (Aggregate aggregate : metric.aggregates()) {
                if (aggregate.where().isPresent() || aggregate.isCustom()) {
                    continue;
                }
                if (aggregate.days().isEmpty()) {
                    if (!List.of(Op.SUM, Op.COUNT, Op.USERS, Op.DAYS_SINCE).contains(aggregate.op())) {
                        return Optional.empty();
                    }
                    allTime = true;
                    continue;
                }
                LocalDate start = asOf.minusDays(aggregate.offsetDays() + aggregate.days().get() - 1L);
                first = start.isBefore(first) ? start : first;
            }
        }
        return allTime ? Optional.of(first.withDayOfMonth(1)) : Optional.empty();
    }

    /**
     * The event names whose daily activity rows {@code metrics} read (their aggregates without a
     * where over named events), in the order first named; empty when one reads every event
     * ({@code event:*}). Aggregates with a where read silver events, custom sources custom metrics.
     */
    public static Optional<List<String>> eventsRead(List<MetricDefinition> metrics) {
        List<String> named = new ArrayList<>();
        for (MetricDefinition metric : metrics) {
            for (Aggregate aggregate : metric.aggregates()) {
                if (aggregate.where().isPresent() || aggregate.isCustom()) {
                    continue;
                }
                if (aggregate.allEvents()) {
                    return Optional.empty();
                }
                aggregate.events().stream().filter(e -> !named.contains(e)).forEach(named::add);
            }
        }
        return Optional.of(List.copyOf(named));
    }

    /** Whether an aggregate of {@code metrics} has a where (and so reads silver events). */
    public static boolean readsEvents(List<MetricDefinition> metrics) {
        return metrics.stream().flatMap(m -> m.aggregates().stream()).anyMatch(a -> a.where().isPresent());
    }

    /**
     * Daily activity rows ({@code user_id, activity_date, event, event_count, weighted_count})
     * of the aggregates with a where, from the users' counted events ({@code user_id, event,
     * event_date, weight} and the columns a where reads): per aggregate, the events of its source
     * that pass its where, under the event name {@link #whereEvent}, so that {@link #compute}
     * treats them like any other event.
     */
    public static Dataset<Row> whereActivity(List<MetricDefinition> metrics, Dataset<Row> events) {
        Dataset<Row> rows = null;
        for (MetricDefinition metric : metrics) {
            for (Aggregate a : metric.aggregates()) {
                if (a.where().isEmpty()) {
                    continue;
                }
                Column source = a.allEvents() ? lit(true) : col("event").isin(a.events().toArray());
                Dataset<Row> one = events.filter(source.and(coalesce(expr(a.where().get()), lit(false))))
                        .groupBy(col("user_id"), col("event_date").as("activity_date"))
                        .agg(count("*").as("event_count"), sum("weight").as("weighted_count"))
                        .withColumn("event", lit(whereEvent(metric, a)));
                rows = rows == null ? one : rows.unionByName(one);
            }
        }
        return rows;
    }

    /** The event name the rows of an aggregate with a where go under (no real event has it: `:` and spaces). */
    static String whereEvent(MetricDefinition metric, Aggregate aggregate) {
        return "where: " + metric.name() + "." + aggregate.name();
    }

    /**
     * The values of {@code metrics} (all of one entity type) for every entity of
     * {@code entities} (its rows for D, keyed by {@code idColumn}), from {@code facts} dated on
     * or before D: {@code entity_id, metric, value}. {@code keep} is given the entities with
     * every aggregate, which each metric's value then reads: a cache there computes the
     * aggregates once (without one, each metric's branch of the union computes its own, as
     * Spark prunes the others' columns from it and so shares no exchange).
     */
    public static Dataset<Row> compute(List<MetricDefinition> metrics, Dataset<Row> facts, Dataset<Row> entities,
                                       String idColumn, LocalDate asOf, UnaryOperator<Dataset<Row>> keep) {
        Column d = lit(Date.valueOf(asOf));
        List<Column> daily = new ArrayList<>();
        List<Column> overWindow = new ArrayList<>();
        List<Column> distinctUsers = new ArrayList<>();
        for (MetricDefinition metric : metrics) {
            for (Aggregate a : metric.aggregates()) {
                String name = internalName(metric, a);
                Column match = a.isCustom() ? col("metric").equalTo(a.customMetric().get())
                        : a.where().isPresent() ? col("event").equalTo(whereEvent(metric, a))
                        : a.allEvents() ? col("event").isNotNull().and(col("event").startsWith("where: ").unary_$bang())
                        : col("event").isin(a.events().toArray());
                daily.add(sum(when(match, a.isCustom() ? col("value") : col("weighted_count"))).as(name + "__v"));
                daily.add(sum(when(match, a.isCustom() ? lit(1L) : col("event_count"))).as(name + "__n"));
                Column date = col("date");
                Column inWindow = date.leq(lit(Date.valueOf(asOf.minusDays(a.offsetDays()))));
                if (a.days().isPresent()) {
                    inWindow = inWindow.and(date.geq(lit(Date.valueOf(asOf.minusDays(a.offsetDays() + a.days().get() - 1L)))));
                }
                Column value = when(inWindow, col(name + "__v"));
                Column count = when(inWindow, col(name + "__n"));
                Column withData = when(inWindow.and(col(name + "__n").isNotNull()), date);
                switch (a.op()) {
                    case SUM -> overWindow.add(sum(value).as(name));
                    case COUNT -> overWindow.add(sum(count).as(name));
                    case AVG -> overWindow.add(avg(value).as(name));
                    case AVG_DAILY -> overWindow.add(sum(value).divide(a.days().get()).as(name));
                    case MIN -> overWindow.add(min(value).as(name));
                    case MAX -> overWindow.add(max(value).as(name));
                    case LAST -> overWindow.add(max_by(value, withData).as(name));
                    case ACTIVE_DAYS -> overWindow.add(count(withData).as(name));
                    case DAYS_SINCE -> overWindow.add(datediff(d, max(withData)).as(name));
                    case USERS -> distinctUsers.add(count_distinct(when(match.and(inWindow), col("user_id"))).as(name));
                }
            }
        }
        Dataset<Row> dated = facts.filter(col("date").leq(d));
        Dataset<Row> aggregates = entities.select(col(idColumn).as("entity_id"));
        if (!overWindow.isEmpty()) {
            Dataset<Row> perDay = dated.groupBy("entity_id", "date").agg(daily.get(0), daily.subList(1, daily.size()).toArray(Column[]::new));
            Dataset<Row> windowed = perDay.groupBy("entity_id").agg(overWindow.get(0),
                    overWindow.subList(1, overWindow.size()).toArray(Column[]::new));
            aggregates = leftJoinOnEntity(aggregates, windowed);
        }
        if (!distinctUsers.isEmpty()) {
            Dataset<Row> users = dated.groupBy("entity_id").agg(distinctUsers.get(0),
                    distinctUsers.subList(1, distinctUsers.size()).toArray(Column[]::new));
            aggregates = leftJoinOnEntity(aggregates, users);
        }
        Dataset<Row> joined = keep.apply(
                entities.join(aggregates, entities.col(idColumn).equalTo(aggregates.col("entity_id")), "inner"));

        Dataset<Row> values = null;
        for (MetricDefinition metric : metrics) {
            List<Column> columns = new ArrayList<>();
            List<String> aggregateNames = metric.aggregates().stream().map(Aggregate::name).toList();
            Arrays.stream(entities.columns()).filter(c -> !aggregateNames.contains(c)).forEach(c -> columns.add(col("`" + c + "`")));
            columns.add(col("entity_id"));
            for (Aggregate a : metric.aggregates()) {
                Column value = col(internalName(metric, a));
                columns.add((a.op().zeroWhenEmpty() ? coalesce(value, lit(0)) : value).as(a.name()));
            }
            Dataset<Row> one = joined.select(columns.toArray(Column[]::new))
                    .select(col("entity_id"), lit(metric.name()).as("metric"), expr(metric.value()).cast(DoubleType).as("value"));
            values = values == null ? one : values.unionByName(one);
        }
        return values;
    }

    private static Dataset<Row> leftJoinOnEntity(Dataset<Row> left, Dataset<Row> right) {
        Dataset<Row> keyed = right.withColumnRenamed("entity_id", "right_entity_id");
        return left.join(keyed, left.col("entity_id").equalTo(keyed.col("right_entity_id")), "left").drop("right_entity_id");
    }

    private static String internalName(MetricDefinition metric, Aggregate aggregate) {
        return "m__" + metric.name() + "__" + aggregate.name();
    }
}
