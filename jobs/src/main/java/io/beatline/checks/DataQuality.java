package io.beatline.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.UserDailyActivity;
import io.beatline.config.ChecksConfig;
import io.beatline.core.BeatlineException;
import io.beatline.core.ColumnRule;
import io.beatline.core.Concurrently;
import io.beatline.core.JobContext;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import io.beatline.crm.CrmSnapshots;
import io.beatline.crm.CrmVersions;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.SilverEvents;
import io.beatline.segments.SegmentSummary;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-quality checks of a run for an as-of date D (SPEC 3.7), from each table's contract
 * (its {@link TableSpec}): the key is unique, the columns that may not be empty are not, and the
 * values keep their {@link ColumnRule}s; then the day-over-day guard compares a few figures of D
 * with the baseline date (D minus {@code checks.baseline-days}). Each table is checked on the rows
 * a run for D writes: the as-of date's rows, the date partition D of a table partitioned by
 * another date (for a monthly rollup, the month before D's), the CRM as of D, a table without a
 * date as a whole. Every result is kept in
 * {@code meta/check_results}.
 */
public final class DataQuality {

    public static final TableSpec TABLE = new TableSpec("meta", "check_results",
            new StructType()
                    .add("run_id", StringType, false,
                            "the run whose checks these are")
                    .add("as_of_date", DateType, false,
                            "D, the as-of date of the run")
                    .add("checked_at", TimestampType, false,
                            "when the checks ran")
                    .add("table_name", StringType, false,
                            "the checked table's SQL name")
                    .add("check_name", StringType, false,
                            "`key_unique`, `not_null`, `accepted_values`, `range` or `day_over_day`")
                    .add("subject", StringType, false,
                            "what was checked: the key's columns, a column, or the figure the day-over-day guard compares")
                    .add("status", StringType, false,
                            "`passed`, `failed`, or `skipped` (a day-over-day guard without a baseline, or one below `checks.min-base`)")
                    .add("failing_rows", LongType, false,
                            "rows that break the check (for key_unique: keys held by more than one row); 0 for a guard")
                    .add("observed", StringType, false,
                            "the check and what was found, in words")
                    .add("sample", StringType, true,
                            "up to 5 offending keys (or values), for a failed check")
                    .add("mode", StringType, false,
                            "`checks.mode` of the run: `enforce` (a failed check failed it) or `warn`"),
            List.of("run_id", "table_name", "check_name", "subject"),
            List.of("as_of_date"),
            "one row per check of a run");

    private static final Logger LOG = LoggerFactory.getLogger(DataQuality.class);

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    /** The partition column of the monthly rollups (user_monthly_activity, user_monthly_events). */
    static final String MONTH = "month";

    /** How many tables are checked at once. */
    static final int CONCURRENT_TABLES = 4;

    /** How many offending keys a failed check names. */
    static final int SAMPLE = 5;

    private final JobContext context;
    private final TableStore store;
    private final ChecksConfig config;

    public DataQuality(JobContext context) {
        this.context = context;
        this.store = context.store();
        this.config = context.config().checks();
    }

    /** One check's outcome. */
    public record Result(String table, String check, String subject, String status, long failingRows, String observed,
                         Optional<String> sample) {

        public boolean failed() {
            return status.equals(FAILED);
        }

        /** {@code user_engagement key_unique (as_of_date, user_id): 2 keys on 2 rows ... [u1, u2]}. */
        public String describe() {
            return table + " " + check + " " + subject + ": " + observed + sample.map(keys -> " [" + keys + "]").orElse("");
        }
    }

    /** The checks of {@code tables} for {@code asOf}, then the day-over-day guard. Writes nothing. */
    public List<Result> check(List<TableSpec> tables, LocalDate asOf) {
        // each table's checks are one small Spark job whose time is mostly the driver's (a Delta
        // snapshot, planning): a few at once keep the cores busy
        List<Callable<List<Result>>> checks = new ArrayList<>();
        for (TableSpec table : tables) {
            if (!table.layer().equals("meta")) {
                checks.add(() -> store.exists(table) ? contract(table, scoped(table, asOf)) : List.<Result>of());
            }
        }
        checks.add(() -> dayOverDay(asOf));
        return Concurrently.run(checks, CONCURRENT_TABLES, "checking the tables for " + asOf).stream()
                .flatMap(List::stream).toList();
    }

    /**
     * Checks {@code tables} for {@code asOf}, keeps the results in meta/check_results, and
     * returns the report's line ({@code checks: 93 passed, 0 failed, 4 skipped}). A failed check
     * fails the run in {@code enforce} mode, after the results are kept: the message names the
     * table, the check and its figures or offending keys of each.
     */
    public String run(String runId, LocalDate asOf, List<TableSpec> tables) {
        List<Result> results = check(tables, asOf);
        record(runId, asOf, results);
        List<Result> failed = results.stream().filter(Result::failed).toList();
        long skipped = results.stream().filter(result -> result.status().equals(SKIPPED)).count();
        String line = "checks: " + (results.size() - failed.size() - skipped) + " passed, " + failed.size() + " failed, "
                + skipped + " skipped";
        if (failed.isEmpty()) {
            return line;
        }
        String failures = failed.stream().limit(10).map(Result::describe).collect(Collectors.joining("; "))
                + (failed.size() > 10 ? "; and " + (failed.size() - 10) + " more" : "");
        if (config.mode() == ChecksConfig.Mode.WARN) {
            LOG.warn("{} data-quality check(s) failed for {} (checks.mode = warn): {}", failed.size(), asOf, failures);
            return line + " (checks.mode = warn): " + failures;
        }
        throw BeatlineException.jobFailure(failed.size() + " data-quality check(s) failed for " + asOf + ": " + failures
                + ". The tables are written as computed; every result is in meta_check_results (run " + runId + ")."
                + " Fix the input and run the date again, or set checks.mode = warn to let the run pass"
                + " (docs/operations.md, \"When a check fails\").", null);
    }

    /** Appends {@code results} to meta/check_results, in one commit. */
    public void record(String runId, LocalDate asOf, List<Result> results) {
        Timestamp now = Timestamp.from(Instant.now());
        String mode = config.mode().name().toLowerCase(Locale.ROOT);
        List<Row> rows = results.stream().map(result -> RowFactory.create(runId, Date.valueOf(asOf), now, result.table(),
                result.check(), result.subject(), result.status(), result.failingRows(), result.observed(),
                result.sample().orElse(null), mode)).toList();
        store.append(TABLE, context.spark().createDataFrame(rows, TABLE.schema()));
    }

    /** The rows of {@code table} a run for {@code asOf} writes (see the class comment). */
    Dataset<Row> scoped(TableSpec table, LocalDate asOf) {
        Dataset<Row> rows = store.read(table);
        List<String> columns = Arrays.asList(table.columns());
        Column day = lit(Date.valueOf(asOf));
        if (columns.contains("as_of_date")) {
            return rows.filter(col("as_of_date").equalTo(day));
        }
        if (columns.contains(CrmVersions.VALID_FROM) && columns.contains(CrmVersions.VALID_TO)) {
            return rows.filter(CrmSnapshots.validOn(asOf));
        }
        if (table.partitionColumns().size() == 1
                && table.schema().apply(table.partitionColumns().get(0)).dataType().equals(DateType)) {
            String partition = table.partitionColumns().get(0);
            // a monthly rollup's partition is its month's first day: the month a run for D rolls up is the one
            // before D's (months close before they are rolled up; MonthlyRollups)
            LocalDate value = partition.equals(MONTH) ? asOf.withDayOfMonth(1).minusMonths(1) : asOf;
            return rows.filter(col(partition).equalTo(lit(Date.valueOf(value))));
        }
        return rows;
    }

    /**
     * The contract checks of one table's rows, in one Spark job: the rows grouped by key (a key
     * held by more than one row is a duplicate), each not-null column's empty values and each
     * rule's breaking values counted on the way. Offending keys are read only for a failed check.
     */
    List<Result> contract(TableSpec table, Dataset<Row> rows) {
        List<String> notNull = Arrays.stream(table.schema().fields()).filter(field -> !field.nullable())
                .map(StructField::name).toList();
        List<Column> breaks = new ArrayList<>(); // per check, true for a row that breaks it
        notNull.forEach(column -> breaks.add(col(column).isNull()));
        table.rules().forEach(rule -> breaks.add(rule.broken()));
        List<String> key = table.key();
        Column[] keyColumns = key.stream().map(functions::col).toArray(Column[]::new);
        List<Column> flagged = new ArrayList<>(Arrays.asList(keyColumns));
        List<Column> perKey = new ArrayList<>();
        List<Column> totals = new ArrayList<>(List.of(sum(col("rows")).as("rows"),
                sum(when(col("rows").gt(1), 1L).otherwise(0L)).as("duplicate_keys")));
        for (int i = 0; i < breaks.size(); i++) {
            flagged.add(when(breaks.get(i), 1L).otherwise(0L).as("flag_" + i));
            perKey.add(sum(col("flag_" + i)).as("flag_" + i));
            totals.add(sum(col("flag_" + i)).as("flag_" + i));
        }
        Dataset<Row> flags = rows.select(flagged.toArray(Column[]::new));
        // a table without a key (a quarantine) has no duplicates: each row counts as its own key
        Dataset<Row> keyed = key.isEmpty() ? flags.withColumn("rows", lit(1L))
                : flags.groupBy(keyColumns).agg(count(lit(1)).as("rows"), perKey.toArray(Column[]::new));
        Row total = keyed.agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new)).first();
        long rowCount = total.isNullAt(0) ? 0 : total.getLong(0);

        List<Result> results = new ArrayList<>();
        String name = table.sqlName();
        if (!key.isEmpty()) {
            long duplicates = total.isNullAt(1) ? 0 : total.getLong(1);
            String subject = String.join(", ", key);
            results.add(duplicates == 0
                    ? new Result(name, "key_unique", subject, PASSED, 0, rowCount + " rows, each key once", Optional.empty())
                    : new Result(name, "key_unique", subject, FAILED, duplicates, duplicates + " keys held by more than one row, of "
                            + rowCount + " rows", Optional.of(sample(rows.groupBy(keyColumns).count().filter(col("count").gt(1)), key))));
        }
        for (int i = 0; i < breaks.size(); i++) {
            long failing = total.isNullAt(2 + i) ? 0 : total.getLong(2 + i);
            boolean isNull = i < notNull.size();
            String column = isNull ? notNull.get(i) : table.rules().get(i - notNull.size()).column();
            String check = isNull ? "not_null" : table.rules().get(i - notNull.size()).check();
            String rule = isNull ? "" : table.rules().get(i - notNull.size()).describe();
            if (failing == 0) {
                results.add(new Result(name, check, column, PASSED, 0, rowCount + (isNull ? " rows, none empty" : " rows, all " + rule),
                        Optional.empty()));
            } else {
                Column broken = breaks.get(i);
                List<String> shown = new ArrayList<>(key);
                if (!isNull) {
                    shown.add(column);
                }
                results.add(new Result(name, check, column, FAILED, failing, failing + " of " + rowCount + " rows "
                        + (isNull ? "empty" : "not " + rule),
                        Optional.of(sample(rows.filter(broken), shown))));
            }
        }
        return results;
    }

    /** Up to {@link #SAMPLE} rows of {@code rows}, their {@code columns} joined: {@code u1/2026-06-30, u2/2026-06-30}. */
    private static String sample(Dataset<Row> rows, List<String> columns) {
        if (columns.isEmpty()) {
            return "";
        }
        Column[] selected = columns.stream().map(functions::col).toArray(Column[]::new);
        return rows.select(selected).limit(SAMPLE).collectAsList().stream()
                .map(row -> IntStream.range(0, row.size()).mapToObj(i -> String.valueOf(row.get(i)))
                        .collect(Collectors.joining("/")))
                .collect(Collectors.joining(", "));
    }

    /**
     * The day-over-day guard: active users (user_daily_activity) and events (silver_events) on D,
     * users (user_engagement) and accounts (account_kpis) known on D, and each segment's members
     * (segment_summary), against the same figure on the baseline date. A figure whose baseline
     * is missing, or below {@code checks.min-base}, is skipped.
     */
    List<Result> dayOverDay(LocalDate asOf) {
        LocalDate baseline = asOf.minusDays(config.baselineDays());
        Object[] dates = {Date.valueOf(asOf), Date.valueOf(baseline)};
        List<Result> results = new ArrayList<>();
        if (store.exists(UserDailyActivity.TABLE)) {
            Map<LocalDate, Long> users = byDate(store.read(UserDailyActivity.TABLE).filter(col("activity_date").isin(dates))
                    .groupBy(col("activity_date").as("d")).agg(count_distinct(col("user_id")).as("n")));
            results.add(guard(UserDailyActivity.TABLE.sqlName(), "active users", users.get(asOf), users.get(baseline), asOf, baseline));
        }
        if (store.exists(SilverEvents.TABLE)) {
            Map<LocalDate, Long> events = byDate(store.read(SilverEvents.TABLE).filter(col("event_date").isin(dates))
                    .groupBy(col("event_date").as("d")).agg(count(lit(1)).as("n")));
            results.add(guard(SilverEvents.TABLE.sqlName(), "events", events.get(asOf), events.get(baseline), asOf, baseline));
        }
        for (TableSpec table : List.of(UserEngagement.TABLE, AccountKpis.TABLE)) {
            if (store.exists(table)) {
                Map<LocalDate, Long> rows = byDate(store.read(table).filter(col("as_of_date").isin(dates))
                        .groupBy(col("as_of_date").as("d")).agg(count(lit(1)).as("n")));
                String figure = table == UserEngagement.TABLE ? "users" : "accounts";
                results.add(guard(table.sqlName(), figure, rows.get(asOf), rows.get(baseline), asOf, baseline));
            }
        }
        if (store.exists(SegmentSummary.TABLE)) {
            Map<String, Map<LocalDate, Long>> members = new TreeMap<>();
            for (Row row : store.read(SegmentSummary.TABLE).filter(col("as_of_date").isin(dates))
                    .select("segment_id", "as_of_date", "members").collectAsList()) {
                members.computeIfAbsent(row.getString(0), segment -> new TreeMap<>())
                        .put(row.getDate(1).toLocalDate(), row.getLong(2));
            }
            members.forEach((segment, figures) -> results.add(guard(SegmentSummary.TABLE.sqlName(),
                    "members of " + segment, figures.get(asOf), figures.get(baseline), asOf, baseline)));
        }
        return results;
    }

    private static Map<LocalDate, Long> byDate(Dataset<Row> counts) {
        Map<LocalDate, Long> byDate = new TreeMap<>();
        for (Row row : counts.collectAsList()) {
            byDate.put(row.getDate(0).toLocalDate(), row.getLong(1));
        }
        return byDate;
    }

    /** One figure of the guard: {@code active users 31 on 2026-06-30 vs 310 on 2026-06-29 (-90.0%)}. */
    Result guard(String table, String figure, Long current, Long base, LocalDate asOf, LocalDate baseline) {
        long now = current == null ? 0 : current;
        if (base == null) {
            return new Result(table, "day_over_day", figure, SKIPPED, 0, figure + " " + now + " on " + asOf + "; no baseline on "
                    + baseline, Optional.empty());
        }
        String observed = figure + " " + now + " on " + asOf + " vs " + base + " on " + baseline;
        if (base < config.minBase()) {
            return new Result(table, "day_over_day", figure, SKIPPED, 0, observed + " (below checks.min-base "
                    + config.minBase() + ")", Optional.empty());
        }
        double change = 100.0 * (now - base) / base;
        String figures = observed + String.format(Locale.ROOT, " (%+.1f%%)", change);
        return Math.abs(change) > config.maxChangePct()
                ? new Result(table, "day_over_day", figure, FAILED, 0, figures + ", more than checks.max-change-pct "
                        + number(config.maxChangePct()) + "%", Optional.empty())
                : new Result(table, "day_over_day", figure, PASSED, 0, figures, Optional.empty());
    }

    private static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
