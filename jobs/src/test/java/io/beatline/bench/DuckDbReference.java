package io.beatline.bench;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.EventFieldMapping;
import io.beatline.ingest.RawZone;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The benchmark's reference: {@code user_engagement} and {@code account_kpis} for one as-of date
 * D computed by DuckDB (in-process, its own SQL, no code shared with the pipeline) from the raw
 * zone, as a full recompute: every event file landed on or before D and the CRM snapshot as of D.
 * It follows SPEC 2 and 3.2 (validation, first delivery of an event_id wins, weights and
 * exclusions, identity stitching, windows, the CRM as of D) with the pipeline's config values, and writes each table
 * to a Parquet file for {@link DifferentialCheck}.
 *
 * <p>Scope: JSON-lines event files (what {@code generate-data} writes) with the event fields at the
 * top level; health_score is not recomputed (it is a configured blend of calculated metrics, tested
 * on its own). Of CRM rows with the same key in one snapshot it keeps one (the pipeline keeps the
 * last; the generator's duplicates are identical).
 */
public final class DuckDbReference {

    private final BeatlineConfig config;
    private final int threads;

    public DuckDbReference(BeatlineConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    /** Writes {@code out/user_engagement.parquet} and {@code out/account_kpis.parquet} for {@code asOf}. */
    public void compute(LocalDate asOf, Path out) {
        String raw = config.raw();
        List<String> eventGlobs = landedFolders("events", asOf).stream()
                .flatMap(folder -> Stream.of("*.json", "*.jsonl", "*.json.gz", "*.jsonl.gz")
                        .map(pattern -> folder.resolve(pattern).toString()))
                .filter(DuckDbReference::globMatches)
                .toList();
        if (eventGlobs.isEmpty()) {
            throw new IllegalArgumentException("no event files landed on or before " + asOf + " under " + raw + "/events");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
             Statement sql = connection.createStatement()) {
            sql.execute("SET threads = " + threads);
            sql.execute("SET TimeZone = '" + config.timeZone().getId() + "'");
            sql.execute("SET autoinstall_known_extensions = false");
            events(sql, eventGlobs, asOf);
            crm(sql, asOf);
            engagement(sql, asOf);
            accountKpis(sql, asOf);
            Files.createDirectories(out);
            sql.execute("COPY user_engagement TO '" + out.resolve("user_engagement.parquet") + "' (FORMAT parquet)");
            sql.execute("COPY account_kpis TO '" + out.resolve("account_kpis.parquet") + "' (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB reference failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Valid, first-delivered, counted events of known users dated on or before D, with their weight. */
    private void events(Statement sql, List<String> globs, LocalDate asOf) throws SQLException {
        EventFieldMapping fields = config.eventFields();
        String columns = Stream.of("event_id", "event", "user_id", "anonymous_id", "account_id", "timestamp")
                .map(field -> {
                    String source = fields.sourceOf(field);
                    if (source.contains(".")) {
                        throw new IllegalArgumentException("the reference reads top-level event fields only, not " + source);
                    }
                    return "\"" + source + "\": 'VARCHAR'";
                })
                .collect(Collectors.joining(", ", "{", "}"));
        String files = globs.stream().map(glob -> "'" + glob + "'").collect(Collectors.joining(", ", "[", "]"));
        Map<String, Double> weights = config.events().weights();
        String weight = weights.isEmpty() ? String.valueOf(config.events().defaultWeight())
                : weights.entrySet().stream().map(e -> "WHEN '" + e.getKey() + "' THEN " + e.getValue())
                        .collect(Collectors.joining(" ", "CASE event ", " ELSE " + config.events().defaultWeight() + " END"));
        String excluded = config.events().excluded().isEmpty() ? "FALSE"
                : "event IN (" + quoted(config.events().excluded()) + ")";
        sql.execute("""
                CREATE TEMP TABLE events AS
                WITH parsed AS (
                  SELECT regexp_extract(filename, '/dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/', 1)::DATE AS landing_date,
                         filename,
                         CASE WHEN trim("%s") <> '' THEN "%s" END AS event_id,
                         CASE WHEN trim("%s") <> '' THEN "%s" END AS event,
                         CASE WHEN trim("%s") <> '' THEN "%s" END AS user_id,
                         CASE WHEN trim("%s") <> '' THEN "%s" END AS anonymous_id,
                         CASE WHEN trim("%s") <> '' THEN "%s" END AS account_id,
                         trim("%s") AS t
                  FROM read_json(%s, format = 'newline_delimited', columns = %s, ignore_errors = true, filename = true)
                ), timed AS (
                  SELECT *, CASE WHEN regexp_full_match(t, '-?[0-9]{1,15}') THEN epoch_ms(t::BIGINT) AT TIME ZONE 'UTC'
                                 ELSE TRY_CAST(t AS TIMESTAMPTZ) END AS ts
                  FROM parsed
                ), valid AS (
                  SELECT *, ts::DATE AS event_date FROM timed
                  WHERE event_id IS NOT NULL AND event IS NOT NULL AND (user_id IS NOT NULL OR anonymous_id IS NOT NULL)
                    AND ts IS NOT NULL AND ts::DATE <= landing_date + 1
                ), first_delivery AS (
                  SELECT * FROM valid QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY landing_date, filename) = 1
                ), links AS (
                  SELECT anonymous_id, user_id AS linked_user FROM first_delivery
                  WHERE user_id IS NOT NULL AND anonymous_id IS NOT NULL
                  QUALIFY row_number() OVER (PARTITION BY anonymous_id ORDER BY landing_date, ts, event_id) = 1
                ), attributed AS (
                  SELECT coalesce(f.user_id, l.linked_user) AS user_id, f.account_id, f.event, f.ts, f.event_date
                  FROM first_delivery f LEFT JOIN links l ON f.user_id IS NULL AND f.anonymous_id = l.anonymous_id
                )
                SELECT user_id, account_id, event, ts, event_date, (%s)::DOUBLE AS weight
                FROM attributed
                WHERE user_id IS NOT NULL AND NOT (%s) AND event_date <= DATE '%s'
                """.formatted(
                        fields.sourceOf("event_id"), fields.sourceOf("event_id"), fields.sourceOf("event"), fields.sourceOf("event"),
                        fields.sourceOf("user_id"), fields.sourceOf("user_id"), fields.sourceOf("anonymous_id"),
                        fields.sourceOf("anonymous_id"), fields.sourceOf("account_id"), fields.sourceOf("account_id"),
                        fields.sourceOf("timestamp"), files, columns, weight, excluded, asOf));
    }

    /** Each CRM entity's snapshot as of D, typed, without the rows the pipeline quarantines. */
    private void crm(Statement sql, LocalDate asOf) throws SQLException {
        crmTable(sql, "end_users", asOf, "user_id VARCHAR, company_id VARCHAR", """
                SELECT nullif(trim(user_id), '') AS user_id, nullif(trim(company_id), '') AS company_id FROM snapshot
                WHERE nullif(trim(user_id), '') IS NOT NULL""", "user_id");
        crmTable(sql, "companies", asOf, "company_id VARCHAR, name VARCHAR, owner VARCHAR", """
                SELECT nullif(trim(company_id), '') AS company_id, nullif(trim(name), '') AS name,
                       nullif(trim(owner), '') AS owner
                FROM snapshot WHERE nullif(trim(company_id), '') IS NOT NULL
                  AND (nullif(trim(created_at), '') IS NULL OR TRY_CAST(trim(created_at) AS DATE) IS NOT NULL)""", "company_id");
        crmTable(sql, "licenses", asOf,
                "license_id VARCHAR, company_id VARCHAR, product VARCHAR, amount DOUBLE, period VARCHAR, seats BIGINT,"
                        + " start_date DATE, end_date DATE", """
                SELECT * FROM (
                  SELECT nullif(trim(license_id), '') AS license_id, nullif(trim(company_id), '') AS company_id,
                         nullif(trim(product), '') AS product, TRY_CAST(trim(amount) AS DOUBLE) AS amount,
                         coalesce(lower(nullif(trim(period), '')), 'annual') AS period,
                         TRY_CAST(trim(seats) AS DOUBLE) AS seats_number, nullif(trim(seats), '') AS seats_text,
                         TRY_CAST(trim(start_date) AS DATE) AS start_date, nullif(trim(end_date), '') AS end_text,
                         TRY_CAST(trim(end_date) AS DATE) AS end_date
                  FROM snapshot)
                WHERE license_id IS NOT NULL AND company_id IS NOT NULL AND amount IS NOT NULL AND start_date IS NOT NULL
                  AND period IN ('monthly', 'annual') AND (end_text IS NULL OR end_date IS NOT NULL)
                  AND (seats_text IS NULL OR seats_number = floor(seats_number))""",
                "license_id", "license_id, company_id, product, amount, period, seats_number::BIGINT AS seats, start_date, end_date");
        crmTable(sql, "nps_responses", asOf,
                "response_id VARCHAR, user_id VARCHAR, company_id VARCHAR, score BIGINT, responded_at TIMESTAMPTZ", """
                SELECT * FROM (
                  SELECT nullif(trim(response_id), '') AS response_id, nullif(trim(user_id), '') AS user_id,
                         nullif(trim(company_id), '') AS company_id, TRY_CAST(trim(score) AS DOUBLE) AS score_number,
                         TRY_CAST(trim(responded_at) AS TIMESTAMPTZ) AS responded_at
                  FROM snapshot)
                WHERE response_id IS NOT NULL AND score_number = floor(score_number) AND score_number BETWEEN 0 AND 10
                  AND responded_at IS NOT NULL""",
                "response_id", "response_id, user_id, company_id, score_number::BIGINT AS score, responded_at");
        crmTable(sql, "conversations", asOf, "conversation_id VARCHAR, company_id VARCHAR, created_at TIMESTAMPTZ", """
                SELECT * FROM (
                  SELECT nullif(trim(conversation_id), '') AS conversation_id, nullif(trim(company_id), '') AS company_id,
                         TRY_CAST(trim(created_at) AS TIMESTAMPTZ) AS created_at
                  FROM snapshot)
                WHERE conversation_id IS NOT NULL AND company_id IS NOT NULL AND created_at IS NOT NULL""", "conversation_id");
        crmTable(sql, "invoices", asOf,
                "invoice_id VARCHAR, company_id VARCHAR, amount DOUBLE, due_date DATE, status VARCHAR", """
                SELECT * FROM (
                  SELECT nullif(trim(invoice_id), '') AS invoice_id, nullif(trim(company_id), '') AS company_id,
                         TRY_CAST(trim(amount) AS DOUBLE) AS amount, nullif(trim(amount), '') AS amount_text,
                         TRY_CAST(trim(due_date) AS DATE) AS due_date, nullif(trim(due_date), '') AS due_text,
                         lower(nullif(trim(status), '')) AS status
                  FROM snapshot)
                WHERE invoice_id IS NOT NULL AND company_id IS NOT NULL AND (amount_text IS NULL OR amount IS NOT NULL)
                  AND (due_text IS NULL OR due_date IS NOT NULL) AND (status IS NULL OR status IN ('open', 'paid', 'void'))""",
                "invoice_id", "invoice_id, company_id, amount, due_date, status");
    }

    private void crmTable(Statement sql, String entity, LocalDate asOf, String schema, String valid, String key)
            throws SQLException {
        crmTable(sql, entity, asOf, schema, valid, key, "*");
    }

    private void crmTable(Statement sql, String entity, LocalDate asOf, String schema, String valid, String key,
                          String select) throws SQLException {
        Optional<Path> snapshot = landedFolders("crm/" + entity, asOf).stream().reduce((a, b) -> b);
        if (snapshot.isEmpty()) {
            sql.execute("CREATE TEMP TABLE " + entity + " (" + schema + ")");
            return;
        }
        sql.execute("CREATE OR REPLACE TEMP VIEW snapshot AS SELECT * FROM read_csv('" + snapshot.get() + "/*.csv',"
                + " header = true, all_varchar = true)");
        sql.execute("CREATE TEMP TABLE " + entity + " AS SELECT " + select + " FROM (" + valid + ") "
                + "QUALIFY row_number() OVER (PARTITION BY " + key + ") = 1");
    }

    private void engagement(Statement sql, LocalDate asOf) throws SQLException {
        int n = config.engagement().beatsWindowDays();
        List<String> onboarding = config.engagement().onboardingEvents();
        String d = "DATE '" + asOf + "'";
        sql.execute("""
                CREATE TEMP TABLE activity AS
                SELECT user_id,
                       sum(weight) AS experience,
                       min(event_date) AS first_seen_date,
                       max(event_date) AS last_seen_date,
                       arg_max(account_id, ts) FILTER (WHERE account_id IS NOT NULL) AS event_account_id,
                       sum(weight) FILTER (WHERE event_date >= %1$s - %2$d) AS beats,
                       sum(weight) FILTER (WHERE event_date >= %1$s - %3$d AND event_date < %1$s - %2$d) AS beats_previous,
                       count(*) FILTER (WHERE event_date >= %1$s - %2$d) AS now_count,
                       count(*) FILTER (WHERE event_date >= %1$s - %3$d AND event_date < %1$s - %2$d) AS previous_count,
                       count(DISTINCT event_date) FILTER (WHERE event_date >= %1$s - 29) AS active_days_30d,
                       count(DISTINCT event) FILTER (WHERE event IN (%4$s)) AS onboarding_steps_done
                FROM events GROUP BY user_id
                """.formatted(d, n - 1, 2 * n - 1, onboarding.isEmpty() ? "NULL" : quoted(onboarding)));
        sql.execute("""
                CREATE TEMP TABLE user_nps AS
                SELECT user_id, arg_max(score, (responded_at, response_id)) AS nps_score
                FROM nps_responses WHERE user_id IS NOT NULL AND responded_at::DATE <= %1$s GROUP BY user_id
                """.formatted(d));
        sql.execute("""
                CREATE TEMP TABLE user_engagement AS
                SELECT %1$s AS as_of_date, user_id, account_id, beats, beats_previous, beats - beats_previous AS beat_trend,
                       CASE WHEN beats_previous <> 0 THEN (beats - beats_previous) * 100 / beats_previous END AS beat_trend_pct,
                       experience,
                       100 * percent_rank() OVER (ORDER BY experience) AS experience_percentile,
                       first_seen_date, last_seen_date,
                       (%1$s - last_seen_date)::INTEGER AS days_since_last_seen,
                       active_days_30d,
                       CASE WHEN first_seen_date IS NULL THEN 'never_active'
                            WHEN first_seen_date >= %1$s - %2$d THEN 'new'
                            WHEN now_count > 0 AND previous_count > 0 THEN 'returning'
                            WHEN now_count > 0 THEN 'resurrecting'
                            WHEN previous_count > 0 THEN 'dormant'
                            ELSE 'inactive' END AS lifecycle,
                       onboarding_steps_done,
                       %3$s AND onboarding_steps_done = %4$d AS onboarding_completed,
                       nps_score,
                       CASE WHEN nps_score >= 9 THEN 'promoter' WHEN nps_score >= 7 THEN 'passive'
                            WHEN nps_score IS NOT NULL THEN 'detractor' END AS nps_category
                FROM (
                  SELECT coalesce(a.user_id, c.user_id) AS user_id,
                         coalesce(c.company_id, a.event_account_id) AS account_id,
                         coalesce(a.beats, 0)::DOUBLE AS beats,
                         coalesce(a.beats_previous, 0)::DOUBLE AS beats_previous,
                         coalesce(a.experience, 0)::DOUBLE AS experience,
                         a.first_seen_date, a.last_seen_date,
                         coalesce(a.now_count, 0) AS now_count, coalesce(a.previous_count, 0) AS previous_count,
                         coalesce(a.active_days_30d, 0)::INTEGER AS active_days_30d,
                         coalesce(a.onboarding_steps_done, 0)::INTEGER AS onboarding_steps_done,
                         n.nps_score::INTEGER AS nps_score
                  FROM activity a FULL OUTER JOIN end_users c ON a.user_id = c.user_id
                  LEFT JOIN user_nps n ON n.user_id = coalesce(a.user_id, c.user_id))
                """.formatted(d, n - 1, onboarding.isEmpty() ? "FALSE" : "TRUE", onboarding.size()));
    }

    private void accountKpis(Statement sql, LocalDate asOf) throws SQLException {
        String d = "DATE '" + asOf + "'";
        int npsWindow = config.npsWindowDays();
        sql.execute("""
                CREATE TEMP TABLE account_kpis AS
                WITH users AS (
                  SELECT account_id, count(*) AS users_total,
                         count(*) FILTER (WHERE last_seen_date = %1$s) AS dau,
                         count(*) FILTER (WHERE last_seen_date >= %1$s - 6) AS wau,
                         count(*) FILTER (WHERE last_seen_date >= %1$s - 29) AS mau,
                         sum(beats) AS beats_total, sum(experience) AS experience_total,
                         count(*) FILTER (WHERE beats > 0) AS users_with_beats,
                         avg(onboarding_completed::DOUBLE) AS onboarding_completion_rate
                  FROM user_engagement WHERE account_id IS NOT NULL GROUP BY account_id
                ), revenue AS (
                  SELECT company_id AS account_id,
                         sum(CASE WHEN period = 'monthly' THEN amount ELSE amount / 12 END) AS mrr,
                         sum(seats) AS seats,
                         list_sort(list_distinct(list(product))) AS products
                  FROM licenses WHERE start_date <= %1$s AND (end_date IS NULL OR end_date >= %1$s) GROUP BY company_id
                ), latest AS (
                  SELECT user_id, arg_max(score, (responded_at, response_id)) AS score,
                         arg_max(company_id, (responded_at, response_id)) AS company_id
                  FROM nps_responses
                  WHERE user_id IS NOT NULL AND responded_at::DATE <= %1$s AND responded_at::DATE >= %1$s - %2$d
                  GROUP BY user_id
                ), nps AS (
                  SELECT coalesce(l.company_id, e.account_id) AS account_id, count(*) AS nps_responses,
                         count(*) FILTER (WHERE score >= 9) AS promoters, count(*) FILTER (WHERE score <= 6) AS detractors,
                         avg(score) AS nps_avg_score
                  FROM latest l LEFT JOIN user_engagement e ON e.user_id = l.user_id
                  WHERE coalesce(l.company_id, e.account_id) IS NOT NULL GROUP BY 1
                ), conversations_30d AS (
                  SELECT company_id AS account_id, count(*) AS conversations_30d FROM conversations
                  WHERE created_at::DATE <= %1$s AND created_at::DATE >= %1$s - 29 GROUP BY company_id
                ), open_invoices AS (
                  SELECT company_id AS account_id, count(*) AS open_invoices,
                         count(*) FILTER (WHERE due_date < %1$s) AS overdue_invoices,
                         sum(coalesce(amount, 0)) AS open_invoice_amount
                  FROM invoices WHERE status = 'open' GROUP BY company_id
                ), accounts AS (
                  SELECT company_id AS account_id FROM companies
                  UNION SELECT account_id FROM events WHERE account_id IS NOT NULL
                  UNION SELECT account_id FROM user_engagement WHERE account_id IS NOT NULL
                )
                SELECT %1$s AS as_of_date, a.account_id, c.name AS account_name, c.owner,
                       coalesce(u.users_total, 0) AS users_total, coalesce(u.dau, 0) AS dau, coalesce(u.wau, 0) AS wau,
                       coalesce(u.mau, 0) AS mau,
                       CASE WHEN coalesce(u.mau, 0) > 0 THEN u.dau / u.mau END AS stickiness,
                       coalesce(u.beats_total, 0)::DOUBLE AS beats_total,
                       coalesce(u.experience_total, 0)::DOUBLE AS experience_total,
                       CASE WHEN u.users_with_beats > 0 THEN u.beats_total / u.users_with_beats END AS avg_beats_per_active_user,
                       u.onboarding_completion_rate,
                       coalesce(r.mrr, 0)::DOUBLE AS mrr, 12 * coalesce(r.mrr, 0)::DOUBLE AS arr,
                       r.seats,
                       CASE WHEN r.seats > 0 THEN coalesce(u.mau, 0) / r.seats END AS seat_utilization,
                       coalesce(r.products, []::VARCHAR[]) AS products,
                       CASE WHEN coalesce(n.nps_responses, 0) > 0
                            THEN (n.promoters - n.detractors) * 100.0 / n.nps_responses END AS nps,
                       coalesce(n.nps_responses, 0) AS nps_responses, n.nps_avg_score,
                       coalesce(v.conversations_30d, 0) AS conversations_30d,
                       coalesce(i.open_invoices, 0) AS open_invoices, coalesce(i.overdue_invoices, 0) AS overdue_invoices,
                       coalesce(i.open_invoice_amount, 0)::DOUBLE AS open_invoice_amount
                FROM accounts a
                LEFT JOIN companies c ON c.company_id = a.account_id
                LEFT JOIN users u ON u.account_id = a.account_id
                LEFT JOIN revenue r ON r.account_id = a.account_id
                LEFT JOIN nps n ON n.account_id = a.account_id
                LEFT JOIN conversations_30d v ON v.account_id = a.account_id
                LEFT JOIN open_invoices i ON i.account_id = a.account_id
                """.formatted(d, npsWindow - 1));
    }

    /** The {@code dt=} folders of {@code source} dated on or before {@code asOf}, oldest first. */
    private List<Path> landedFolders(String source, LocalDate asOf) {
        return new RawZone(config.raw(), new Configuration()).landedDates(source).stream()
                .filter(date -> !date.isAfter(asOf))
                .map(date -> Path.of(config.raw(), source, "dt=" + date))
                .toList();
    }

    private static boolean globMatches(String glob) {
        Path path = Path.of(glob);
        String suffix = path.getFileName().toString().substring(1);
        File[] files = path.getParent().toFile().listFiles((dir, name) -> name.endsWith(suffix)
                && (suffix.endsWith(".gz") || !name.endsWith(".gz")));
        return files != null && files.length > 0;
    }

    private static String quoted(java.util.Collection<String> values) {
        return values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(", "));
    }
}
