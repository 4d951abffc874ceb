package io.beatline.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;

/**
 * A rule a column's values keep, beyond its type and nullability: one of a list of accepted
 * values, or within a range (either end may be open). An empty value never breaks a rule (whether
 * a column may be empty is its nullability). The data-quality checks (SPEC 3.7) test each rule of
 * a {@link TableSpec}.
 */
public record ColumnRule(String column, List<String> accepted, Optional<Double> min, Optional<Double> max) {

    public ColumnRule {
        accepted = List.copyOf(accepted);
    }

    public static ColumnRule oneOf(String column, List<String> values) {
        return new ColumnRule(column, values, Optional.empty(), Optional.empty());
    }

    public static ColumnRule between(String column, double min, double max) {
        return new ColumnRule(column, List.of(), Optional.of(min), Optional.of(max));
    }

    public static ColumnRule atLeast(String column, double min) {
        return new ColumnRule(column, List.of(), Optional.of(min), Optional.empty());
    }

    /** {@code accepted_values} or {@code range}: the check's name in meta/check_results. */
    public String check() {
        return accepted.isEmpty() ? "range" : "accepted_values";
    }

    /** The rule in words: {@code one of new, returning} or {@code between 0 and 100} or {@code >= 0}. */
    public String describe() {
        if (!accepted.isEmpty()) {
            return "one of " + String.join(", ", accepted);
        }
        if (min.isPresent() && max.isPresent()) {
            return "between " + number(min.get()) + " and " + number(max.get());
        }
        return min.map(low -> ">= " + number(low)).orElseGet(() -> "<= " + number(max.orElseThrow()));
    }

    /** True for a row whose value breaks the rule; false (never null) otherwise. */
    public Column broken() {
        Column value = col(column);
        Column broken;
        if (!accepted.isEmpty()) {
            broken = value.isin(accepted.toArray()).unary_$bang();
        } else {
            broken = lit(false);
            if (min.isPresent()) {
                broken = broken.or(value.lt(min.get()));
            }
            if (max.isPresent()) {
                broken = broken.or(value.gt(max.get()));
            }
        }
        return value.isNotNull().and(broken);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
