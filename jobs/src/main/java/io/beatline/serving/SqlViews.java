package io.beatline.serving;

import io.beatline.core.BeatlineException;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lake's tables under their SQL names (SPEC 3.6) as Spark temporary views over the table
 * paths: no metastore, nothing written. {@code beatline sql} queries them.
 */
public final class SqlViews {

    private SqlViews() {
    }

    /**
     * Registers the views {@code query} may name: the tables whose SQL name appears in it as a
     * word (each view costs a Delta snapshot, so the others are left out).
     */
    public static List<TableSpec> registerFor(TableStore store, String query) {
        String text = query.toLowerCase(java.util.Locale.ROOT);
        return register(store, LakeTables.all().stream()
                .filter(table -> java.util.regex.Pattern.compile("\\b" + table.sqlName() + "\\b").matcher(text).find())
                .toList());
    }

    private static List<TableSpec> register(TableStore store, List<TableSpec> tables) {
        List<TableSpec> registered = new ArrayList<>();
        for (TableSpec table : tables) {
            if (store.exists(table)) {
                store.read(table).createOrReplaceTempView(table.sqlName());
                registered.add(table);
            }
        }
        return registered;
    }

    /**
     * The rows of {@code query} (Spark SQL over the views). A query that does not parse or names
     * an unknown table or column is a usage error (exit 2) with Spark's own message.
     */
    public static Dataset<Row> query(TableStore store, String query) {
        try {
            return store.spark().sql(query);
        } catch (Exception e) { // AnalysisException (ParseException included) is checked in Scala's eyes only
            if (e instanceof AnalysisException analysis) {
                throw new BeatlineException(BeatlineException.Kind.USAGE, "the query failed: " + analysis.getMessage()
                        + "\n(`beatline tables` lists the tables you can query)", e);
            }
            throw e;
        }
    }
}
