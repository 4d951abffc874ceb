package io.beatline.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One calculated metric of config {@code metrics} (SPEC 3.3): windowed aggregates over an
 * entity's daily series, combined by a Spark SQL {@code value} expression.
 */
public record MetricDefinition(String name, EntityType entity, List<Aggregate> aggregates, String value,
                               String origin, String definition) {

    public MetricDefinition {
        aggregates = List.copyOf(aggregates);
    }

    /** The aggregate operations over a window's daily series. */
    public enum Op {
        SUM, COUNT, AVG, AVG_DAILY, MIN, MAX, LAST, ACTIVE_DAYS, USERS, DAYS_SINCE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** sum, count, active_days and users are 0 for an entity without data; the others are null. */
        public boolean zeroWhenEmpty() {
            return this == SUM || this == COUNT || this == ACTIVE_DAYS || this == USERS;
        }
    }

    /**
     * An aggregate: {@code op} over the daily series of {@code events} (empty with
     * {@code allEvents} for {@code event:*}) or of the custom metric {@code customMetric}, over the
     * {@code days} days ending {@code offsetDays} before the as-of date (all time when no days).
     * An event source with {@code where} (Spark SQL over an event's columns) counts only the
     * events that pass it, and is read from silver events instead of daily activity.
     */
    public record Aggregate(String name, List<String> events, boolean allEvents, Optional<String> customMetric, Op op,
                            Optional<Integer> days, int offsetDays, Optional<String> where) {

        public Aggregate {
            events = List.copyOf(events);
        }

        public boolean isCustom() {
            return customMetric.isPresent();
        }
    }
}
