package io.beatline.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import io.beatline.accounts.AccountKpis;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.ConfigLoader;
import io.beatline.core.Lake;
import io.beatline.core.PipelineRuns;
import io.beatline.core.SparkSessions;
import io.beatline.engagement.UserEngagement;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Java half of {@code scripts/bench}, one whole process per call:
 * <pre>
 *   reference --as-of D --out DIR [--threads N] [--conf K=V ...]   DuckDB computes both tables from the raw zone
 *   check     --as-of D --reference DIR [--conf K=V ...]            compares them with the lake's; exit 1 on a difference
 *   stages    --as-of D [--conf K=V ...]                            the latest run's stages from the run log, and
 *                                                                  "checks": its time after the last stage
 * </pre>
 * The config (raw, lake, weights, windows, ...) is beatline's, with the same {@code --conf} overrides.
 */
public final class BenchTool {

    private BenchTool() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BenchTool reference|check --as-of D ...");
        }
        LocalDate asOf = null;
        Path dir = null;
        int threads = 2;
        List<String> overrides = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--as-of" -> asOf = LocalDate.parse(value);
                case "--out", "--reference" -> dir = Path.of(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--conf" -> overrides.add(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        BeatlineConfig config = ConfigLoader.load(ConfigLoader.defaultFile(), overrides);
        long started = System.nanoTime();
        if (args[0].equals("reference")) {
            new DuckDbReference(config, threads).compute(asOf, dir);
            System.out.printf("duckdb reference for %s: %.1f s%n", asOf, (System.nanoTime() - started) / 1e9);
        } else if (args[0].equals("check")) {
            System.exit(check(config, asOf, dir) ? 0 : 1);
        } else if (args[0].equals("stages")) {
            stages(config, asOf);
        } else {
            throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * One line per stage of the latest successful {@code run} for D: {@code <job> <seconds>
     * <rows_read>}, from the run log (the stages' rows lie within the run's time span).
     */
    private static void stages(BeatlineConfig config, LocalDate asOf) {
        SparkSession spark = SparkSessions.create(config);
        Dataset<Row> log = spark.read().format("delta").load(new Lake(config.lake()).path(PipelineRuns.TABLE));
        Row run = log.filter("job = 'run' AND status = 'succeeded' AND date = DATE'" + asOf + "'")
                .orderBy(col("finished_at").desc()).first();
        Dataset<Row> stages = log.filter(col("status").equalTo("succeeded").and(not(col("job").contains(":")))
                        .and(col("started_at").geq(lit(run.getTimestamp(3)))).and(col("finished_at").leq(lit(run.getTimestamp(4)))))
                .orderBy(col("job").equalTo("run"), col("started_at"))
                .select(col("job"), expr("(unix_millis(finished_at) - unix_millis(started_at)) / 1000.0"), col("rows_read"));
        for (Row stage : stages.collectAsList()) {
            System.out.printf("%s %.1f %d%n", stage.getString(0), ((Number) stage.get(1)).doubleValue(), stage.getLong(2));
        }
        // what the run does after its last stage: the identity summary, the data-quality checks, its own run-log row
        Row lastStage = log.filter(col("status").equalTo("succeeded").and(not(col("job").contains(":")))
                        .and(col("job").notEqual("run")).and(col("started_at").geq(lit(run.getTimestamp(3))))
                        .and(col("finished_at").leq(lit(run.getTimestamp(4)))))
                .agg(expr("(unix_millis(max(finished_at))) / 1000.0")).first();
        if (!lastStage.isNullAt(0)) {
            System.out.printf("checks %.1f 0%n", run.getTimestamp(4).getTime() / 1000.0 - ((Number) lastStage.get(0)).doubleValue());
        }
        spark.stop();
    }

    private static boolean check(BeatlineConfig config, LocalDate asOf, Path reference) {
        SparkSession spark = SparkSessions.create(config);
        Lake lake = new Lake(config.lake());
        String ofDate = "as_of_date = DATE'" + asOf + "'";
        List<String> differences = new ArrayList<>();
        long[] rows = new long[2];
        int t = 0;
        for (var table : List.of(UserEngagement.TABLE, AccountKpis.TABLE)) {
            Dataset<Row> pipeline = spark.read().format("delta").load(lake.path(table)).filter(ofDate);
            Dataset<Row> expected = spark.read().parquet(reference.resolve(table.name() + ".parquet").toString());
            rows[t++] = expected.count();
            differences.addAll(DifferentialCheck.differences(table.name(), pipeline, expected, table.key(), 20));
        }
        spark.stop();
        if (differences.isEmpty()) {
            System.out.printf("differential check for %s: passed (user_engagement %d rows, account_kpis %d rows equal)%n",
                    asOf, rows[0], rows[1]);
            return true;
        }
        System.out.println("differential check for " + asOf + ": FAILED");
        differences.forEach(line -> System.out.println("  " + line));
        return false;
    }
}
