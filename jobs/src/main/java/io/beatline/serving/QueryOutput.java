package io.beatline.serving;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** Prints a query's rows: an aligned text table (as psql does), CSV with a header row, or JSON lines. */
public final class QueryOutput {

    /** How {@code beatline sql} prints its result. */
    public enum Format {
        TABLE, CSV, JSON;

        public static Format parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not a format; use table, csv or json");
            }
        }
    }

    private QueryOutput() {
    }

    /**
     * Prints at most {@code maxRows} rows ({@code 0}: all) and returns how many were printed; the
     * table format then says how many rows there were, and when it cut the result.
     */
    public static long print(Dataset<Row> rows, Format format, long maxRows, PrintStream out) {
        Dataset<Row> limited = maxRows > 0 ? rows.limit((int) Math.min(Integer.MAX_VALUE, maxRows + 1)) : rows;
        if (format == Format.JSON) {
            List<String> lines = limited.toJSON().collectAsList();
            List<String> shown = maxRows > 0 && lines.size() > maxRows ? lines.subList(0, (int) maxRows) : lines;
            shown.forEach(out::println);
            return shown.size();
        }
        String[] names = rows.columns();
        Column[] asText = Arrays.stream(names).map(name -> col("`" + name + "`").cast(DataTypes.StringType)).toArray(Column[]::new);
        List<Row> collected = limited.select(asText).collectAsList();
        boolean cut = maxRows > 0 && collected.size() > maxRows;
        List<Row> shown = cut ? collected.subList(0, (int) maxRows) : collected;
        if (format == Format.CSV) {
            out.println(csvLine(Arrays.asList(names)));
            for (Row row : shown) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < names.length; i++) {
                    values.add(row.isNullAt(i) ? null : row.getString(i));
                }
                out.println(csvLine(values));
            }
        } else {
            printTable(names, shown, out);
            out.println(cut ? "(first " + maxRows + " rows; --max-rows 0 prints all)"
                    : "(" + shown.size() + (shown.size() == 1 ? " row)" : " rows)"));
        }
        return shown.size();
    }

    private static void printTable(String[] names, List<Row> rows, PrintStream out) {
        int[] widths = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            widths[i] = names[i].length();
            for (Row row : rows) {
                widths[i] = Math.max(widths[i], cell(row, i).length());
            }
        }
        List<String> header = new ArrayList<>();
        List<String> rule = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            header.add(pad(names[i], widths[i], false));
            rule.add("-".repeat(widths[i]));
        }
        out.println(String.join(" | ", header).stripTrailing());
        out.println(String.join("-+-", rule));
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                String value = cell(row, i);
                cells.add(pad(value, widths[i], looksNumeric(value)));
            }
            out.println(String.join(" | ", cells).stripTrailing());
        }
    }

    private static String cell(Row row, int i) {
        return row.isNullAt(i) ? "NULL" : row.getString(i).replace("\n", "\\n");
    }

    private static boolean looksNumeric(String value) {
        return value.matches("-?[0-9][0-9.E+-]*");
    }

    private static String pad(String value, int width, boolean right) {
        String padding = " ".repeat(width - value.length());
        return right ? padding + value : value + padding;
    }

    /** One CSV record (RFC 4180): a value with a comma, quote or line break is quoted; null is empty. */
    static String csvLine(List<String> values) {
        List<String> fields = new ArrayList<>();
        for (String value : values) {
            if (value == null) {
                fields.add("");
            } else if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
                fields.add("\"" + value.replace("\"", "\"\"") + "\"");
            } else {
                fields.add(value);
            }
        }
        return String.join(",", fields);
    }
}
