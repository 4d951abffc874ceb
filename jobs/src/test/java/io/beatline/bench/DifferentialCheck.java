package io.beatline.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Compares the pipeline's rows of a table with the reference's, row by row on the table's key and
 * column by column over the reference's columns: the same keys, and in each column the same
 * value (numbers to a relative 1e-9, since the engines add doubles in different orders).
 */
public final class DifferentialCheck {

    private static final double TOLERANCE = 1e-9;

    private DifferentialCheck() {
    }

    /** Up to {@code limit} differences, each one line; empty when the rows are equal. */
    public static List<String> differences(String table, Dataset<Row> pipeline, Dataset<Row> reference, List<String> key,
                                           int limit) {
        List<String> columns = List.of(reference.columns());
        Map<List<Object>, Row> expected = byKey(reference.selectExpr(columns.toArray(String[]::new)).collectAsList(), key, columns);
        Map<List<Object>, Row> actual = byKey(pipeline.selectExpr(columns.toArray(String[]::new)).collectAsList(), key, columns);
        List<String> differences = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> extra = new TreeSet<>();
        for (Map.Entry<List<Object>, Row> entry : expected.entrySet()) {
            Row row = actual.get(entry.getKey());
            if (row == null) {
                missing.add(entry.getKey().toString());
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                Object want = normalize(entry.getValue().get(i));
                Object got = normalize(row.get(i));
                if (!same(want, got) && differences.size() < limit) {
                    differences.add(table + " " + entry.getKey() + " " + columns.get(i) + ": pipeline " + got
                            + ", reference " + want);
                }
            }
        }
        for (List<Object> k : actual.keySet()) {
            if (!expected.containsKey(k)) {
                extra.add(k.toString());
            }
        }
        if (!missing.isEmpty()) {
            differences.add(0, table + ": " + missing.size() + " rows only in the reference, e.g. " + missing.first());
        }
        if (!extra.isEmpty()) {
            differences.add(0, table + ": " + extra.size() + " rows only in the pipeline, e.g. " + extra.first());
        }
        if (expected.isEmpty()) {
            differences.add(0, table + ": the reference has no rows");
        }
        return differences;
    }

    private static Map<List<Object>, Row> byKey(List<Row> rows, List<String> key, List<String> columns) {
        Map<List<Object>, Row> byKey = new HashMap<>();
        for (Row row : rows) {
            List<Object> k = key.stream().map(name -> normalize(row.get(columns.indexOf(name)))).toList();
            if (byKey.put(k, row) != null) {
                throw new IllegalStateException("key " + k + " appears twice");
            }
        }
        return byKey;
    }

    /** Whole numbers as long, other numbers as double, arrays as lists; dates and strings as they are. */
    private static Object normalize(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Seq<?> seq) {
            return CollectionConverters.asJava(seq).stream().map(DifferentialCheck::normalize).toList();
        }
        if (value instanceof java.sql.Date || value instanceof String || value instanceof Boolean || value == null) {
            return value;
        }
        return value.toString();
    }

    private static boolean same(Object want, Object got) {
        if (want instanceof Number a && got instanceof Number b) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return x == y || Math.abs(x - y) <= TOLERANCE * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
        }
        return Objects.equals(want, got);
    }
}
