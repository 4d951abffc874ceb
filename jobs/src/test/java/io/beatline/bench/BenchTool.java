package io.beatline.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.xxhash64;

import io.beatline.accounts.AccountKpis;
import io.beatline.config.BeatlineConfig;
import io.beatline.config.EventFieldMapping;
import io.beatline.config.ConfigLoader;
import io.beatline.core.Lake;
import io.beatline.core.PipelineRuns;
import io.beatline.core.SparkSessions;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.EventTransforms;
import io.beatline.ingest.EventsIngestJob;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Java half of {@code scripts/bench}, one whole process per call:
 * <pre>
 *   reference --as-of D --out DIR [--threads N] [--conf K=V ...]   DuckDB computes both tables from the raw zone
 *   check     --as-of D --reference DIR [--conf K=V ...]            compares them with the lake's; exit 1 on a difference
 *   stages    --as-of D [--conf K=V ...]                            the latest run's stages from the run log, and
 *                                                                  "checks": its time after the last stage
 *   parse     --dir DT_FOLDER [--repeat N] [--conf K=V ...]         what reading one landing's event files costs, in
 *                                                                  parts (docs/benchmarks.md, "The parse")
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
        int repeat = 3;
        List<String> overrides = new ArrayList<>();
        for (int i = 1; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--as-of" -> asOf = LocalDate.parse(value);
                case "--out", "--reference", "--dir" -> dir = Path.of(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
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
        } else if (args[0].equals("parse")) {
            parse(config, dir, repeat);
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

    /**
     * What the first step of ingest-events costs on one landing folder of JSON-lines files, in
     * parts, each timed {@code repeat} times in this one process (the first run of each pays the
     * JVM's and Spark's warm-up): the lines alone (gunzip and split), the JSON parse of every mapped
     * field alone, the stage's whole parse (EventTransforms.parse: the field mapping, blank checks,
     * timestamp rules, reasons, the line hash; every column, as the stage keeps them all), and
     * the same rows read from Parquet (written once to a temporary folder, deleted at the end).
     */
    private static void parse(BeatlineConfig config, Path folder, int repeat) {
        if (folder == null) {
            throw new IllegalArgumentException("parse needs --dir, a landing folder such as raw/events/dt=2026-06-30");
        }
        SparkSession spark = SparkSessions.create(config);
        // each part hashes every field it reads, so that Spark parses them all; properties is a map
        spark.conf().set("spark.sql.legacy.allowHashOnMapType", "true");
        Dataset<Row> lines = EventsIngestJob.textLines(spark, new String[] {folder.toString()}, LocalDate.of(2000, 1, 1));
        EventFieldMapping mapping = config.eventFields();
        StructType schema = EventTransforms.jsonSchema(mapping);
        Path parquet;
        try {
            parquet = java.nio.file.Files.createTempDirectory("beatline-parse-bench").resolve("events.parquet");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            spark.read().schema(schema).json(folder.toString()).write().parquet(parquet.toString());
            timeParts(spark, lines, schema, mapping, parquet, repeat);
        } finally {
            spark.stop();
            try (var files = java.nio.file.Files.walk(parquet.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void timeParts(SparkSession spark, Dataset<Row> lines, StructType schema, EventFieldMapping mapping,
                                  Path parquet, int repeat) {
        Map<String, java.util.function.Supplier<Object>> parts = new LinkedHashMap<>();
        parts.put("lines (gunzip, split)", lines::count);
        parts.put("JSON parse of the mapped fields", () -> lines.select(xxhash64(from_json(col("value"), schema)))
                .agg(expr("sum(hash(*))")).first().get(0));
        parts.put("ingest's parse, every column", () -> lines.transform(rows -> EventTransforms.parse(rows, mapping))
                .select(xxhash64(col("*"))).agg(expr("sum(hash(*))")).first().get(0));
        parts.put("the same rows from Parquet", () -> spark.read().parquet(parquet.toString())
                .select(xxhash64(col("*"))).agg(expr("sum(hash(*))")).first().get(0));
        System.out.printf("%-34s %s%n", "part", "seconds, run 1.." + repeat);
        parts.forEach((name, part) -> {
            StringBuilder times = new StringBuilder();
            Object result = null;
            for (int i = 0; i < repeat; i++) {
                long started = System.nanoTime();
                result = part.get();
                times.append(String.format("%8.2f", (System.nanoTime() - started) / 1e9));
            }
            System.out.printf("%-34s%s   (%s)%n", name, times, result);
        });
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
