package io.beatline.core;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Spark SQL predicates for Delta's {@code replaceWhere}, built from typed values: dates become
 * {@code DATE'...'} literals, strings quoted literals. The one place such text is made; jobs
 * pass values, never hand-built SQL.
 */
public final class SqlPredicates {

    private SqlPredicates() {
    }

    /** {@code column IN (v1, v2, ...)}; {@code values} must not be empty. */
    public static String in(String column, Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values for " + column);
        }
        return "`" + column + "` IN (" + values.stream().map(SqlPredicates::literal).collect(Collectors.joining(", ")) + ")";
    }

    /** {@code column = value}. */
    public static String equalTo(String column, Object value) {
        return "`" + column + "` = " + literal(value);
    }

    /** {@code column IS NULL}. */
    public static String isNull(String column) {
        return "`" + column + "` IS NULL";
    }

    /** {@code column >= value}. */
    public static String atLeast(String column, Object value) {
        return "`" + column + "` >= " + literal(value);
    }

    /** The parts joined with {@code AND}, each in parentheses. */
    public static String and(String... parts) {
        return join(" AND ", parts);
    }

    /** The parts joined with {@code OR}, each in parentheses. */
    public static String or(Collection<String> parts) {
        return join(" OR ", parts.toArray(String[]::new));
    }

    private static String join(String operator, String... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("no predicates to join");
        }
        return java.util.Arrays.stream(parts).map(part -> "(" + part + ")").collect(Collectors.joining(operator));
    }

    /** A Spark SQL literal of a date, string or number. */
    public static String literal(Object value) {
        if (value instanceof LocalDate || value instanceof Date) {
            return "DATE'" + value + "'";
        }
        if (value instanceof String text) {
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        throw new IllegalArgumentException("no SQL literal for " + value + " (" + (value == null ? "null" : value.getClass()) + ")");
    }
}
