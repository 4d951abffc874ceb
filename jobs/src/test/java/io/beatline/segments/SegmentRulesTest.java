package io.beatline.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.config.BeatlineConfig;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every condition of SPEC 3.4 on four hand-made users and two accounts, D = 2026-03-31.
 *
 * <pre>
 * user  account  beats  role    email          last_seen   nps_category
 * u1    a1       10     admin   ann@acme.com   2026-03-30  promoter
 * u2    a2       3      (null)  bob@blue.io    2026-03-02  (null)      (D-29: the first day of a 30-day window)
 * u3    (none)   0      viewer  (null)         (null)      detractor
 * u4    a1       7      admin   cy@acme.com    2026-03-01  (null)      (D-30: just outside it)
 *
 * account  arr    products        tags      created_at
 * a1       25000  [API, Analytics] [at-risk] 2025-01-01
 * a2       10000  []               (null)    2026-02-01  (D-58)
 *
 * daily activity (counted events)
 * u1 run_report: 2026-03-31 x3, 2026-03-18 x3 (D-13, last day in 14 days), 2026-03-17 x2 (D-14, outside)
 * u2 login:      2026-03-10 x1 (in the previous 14 days, D-27..D-14)
 * u4 login:      2026-03-25 x1 (week 0: D-6..D), 2026-03-20 x1 (week 1: D-13..D-7)
 * </pre>
 */
class SegmentRulesTest {

    static final LocalDate D = LocalDate.parse("2026-03-31");

    @TempDir
    static Path dir;

    static SparkSession spark;
    static Dataset<Row> engagement;
    static Dataset<Row> endUsers;
    static Dataset<Row> kpis;
    static Dataset<Row> companies;
    static Dataset<Row> activity;

    @BeforeAll
    static void data() {
        spark = TestSpark.session();
        engagement = spark.sql("SELECT user_id, account_id, CAST(beats AS DOUBLE) beats, DATE(last_seen_date) last_seen_date,"
                + " nps_category, CAST(experience AS DOUBLE) experience, lifecycle FROM VALUES"
                + " ('u1', 'a1', 10, '2026-03-30', 'promoter', 100, 'returning'),"
                + " ('u2', 'a2', 3, '2026-03-02', NULL, 50, 'new'),"
                + " ('u3', NULL, 0, NULL, 'detractor', 0, 'never_active'),"
                + " ('u4', 'a1', 7, '2026-03-01', NULL, 70, 'returning')"
                + " AS t(user_id, account_id, beats, last_seen_date, nps_category, experience, lifecycle)");
        endUsers = spark.sql("SELECT * FROM VALUES ('u1', 'admin', 'ann@acme.com'), ('u2', NULL, 'bob@blue.io'),"
                + " ('u3', 'viewer', NULL), ('u4', 'admin', 'cy@acme.com') AS t(user_id, role, email)");
        kpis = spark.sql("SELECT account_id, CAST(arr AS DOUBLE) arr, products FROM VALUES"
                + " ('a1', 25000, array('API', 'Analytics')), ('a2', 10000, CAST(array() AS ARRAY<STRING>))"
                + " AS t(account_id, arr, products)");
        companies = spark.sql("SELECT company_id, tags, DATE(created_at) created_at FROM VALUES"
                + " ('a1', array('at-risk'), '2025-01-01'), ('a2', NULL, '2026-02-01') AS t(company_id, tags, created_at)");
        activity = spark.sql("SELECT user_id, DATE(activity_date) activity_date, event, CAST(event_count AS BIGINT) event_count"
                + " FROM VALUES ('u1', '2026-03-31', 'run_report', 3), ('u1', '2026-03-18', 'run_report', 3),"
                + " ('u1', '2026-03-17', 'run_report', 2), ('u2', '2026-03-10', 'login', 1),"
                + " ('u4', '2026-03-25', 'login', 1), ('u4', '2026-03-20', 'login', 1)"
                + " AS t(user_id, activity_date, event, event_count)");
    }

    /**
     * Events (user, event, ts, format property) for the where, list, sequence and first-done
     * conditions, D = 2026-03-31; null format = the event has no properties.
     *
     * <pre>
     * u1 export_report pdf 03-30, csv 03-29, none 03-28, pdf 03-05 (D-26); create_project 02-10 and 03-30; invite_user 03-24 (D-7)
     * u2 export_report pdf 03-01 (D-30); create_project 03-10 10:00, invite_user 03-10 11:00
     * u3 create_project and invite_user both 03-25 10:00 (the same instant: not in order)
     * u4 create_project 03-25, invite_user 03-26, export_report csv 03-27
     * </pre>
     */
    static Dataset<Row> events() {
        return spark.sql("SELECT user_id, event, CAST(ts AS TIMESTAMP) ts, DATE(CAST(ts AS TIMESTAMP)) event_date,"
                + " CASE WHEN format IS NULL THEN NULL ELSE map('format', format) END properties,"
                + " CAST(NULL AS STRING) anonymous_id, CAST(NULL AS STRING) account_id, 1.0D weight FROM VALUES"
                + " ('u1', 'export_report', '2026-03-30 10:00:00', 'pdf'), ('u1', 'export_report', '2026-03-29 10:00:00', 'csv'),"
                + " ('u1', 'export_report', '2026-03-28 10:00:00', NULL), ('u1', 'export_report', '2026-03-05 10:00:00', 'pdf'),"
                + " ('u1', 'create_project', '2026-02-10 10:00:00', NULL), ('u1', 'create_project', '2026-03-30 10:00:00', NULL),"
                + " ('u1', 'invite_user', '2026-03-24 10:00:00', NULL),"
                + " ('u2', 'export_report', '2026-03-01 10:00:00', 'pdf'),"
                + " ('u2', 'create_project', '2026-03-10 10:00:00', NULL), ('u2', 'invite_user', '2026-03-10 11:00:00', NULL),"
                + " ('u3', 'create_project', '2026-03-25 10:00:00', NULL), ('u3', 'invite_user', '2026-03-25 10:00:00', NULL),"
                + " ('u4', 'create_project', '2026-03-25 10:00:00', NULL), ('u4', 'invite_user', '2026-03-26 10:00:00', NULL),"
                + " ('u4', 'export_report', '2026-03-27 10:00:00', 'csv')"
                + " AS t(user_id, event, ts, format)");
    }

    /** segment id -> its members, for segments given as HOCON `{ id = ..., entity = ..., rule { ... } }` objects. */
    static Map<String, Set<String>> members(String... segments) {
        return members(activity, activity.limit(0).selectExpr("user_id", "event", "CAST(NULL AS TIMESTAMP) ts",
                "activity_date event_date"), segments);
    }

    /** The monthly rollups of daily activity, as user_monthly_activity holds them (user_id, month, events). */
    static Dataset<Row> monthly(Dataset<Row> daily) {
        return daily.groupBy(org.apache.spark.sql.functions.col("user_id"),
                        org.apache.spark.sql.functions.trunc(org.apache.spark.sql.functions.col("activity_date"), "month").as("month"))
                .agg(org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.collect_set("event")).as("events"));
    }

    /** {@link #members(String...)} with these events, and daily activity that also holds them. */
    static Map<String, Set<String>> membersWithEvents(String... segments) {
        Dataset<Row> events = events();
        Dataset<Row> daily = activity.unionByName(events.groupBy("user_id", "event_date", "event").count()
                .selectExpr("user_id", "event_date activity_date", "event", "count event_count"));
        return members(daily, events, segments);
    }

    static Map<String, Set<String>> members(Dataset<Row> activity, Dataset<Row> events, String... segments) {
        BeatlineConfig config = new TestLake(dir).config("segments = [" + String.join(",", segments) + "]");
        SegmentEvaluation evaluation = new SegmentEvaluation(config, D);
        evaluation.checkWhere(spark);
        Dataset<Row> none = spark.sql("SELECT CAST(NULL AS STRING) entity_id, CAST(NULL AS STRING) metric,"
                + " CAST(NULL AS DOUBLE) value").limit(0);
        // the wiring SegmentsJob uses, on hand-made frames
        SegmentEvaluation.Evaluated evaluated = evaluation.evaluate(new SegmentEvaluation.Inputs(
                engagement, endUsers, kpis, companies, none, none, activity, activity, events, events, monthly(activity)));
        Map<String, Set<String>> found = new TreeMap<>();
        for (var segment : config.segments()) {
            found.put(segment.id(), new TreeSet<>());
        }
        for (Row row : evaluation.members(evaluated).collectAsList()) {
            found.get(row.getString(0)).add(row.getString(2));
        }
        return found;
    }

    static String user(String id, String rule) {
        return "{ id = " + id + ", entity = user, rule " + rule + " }";
    }

    static String account(String id, String rule) {
        return "{ id = " + id + ", entity = account, rule " + rule + " }";
    }

    static Set<String> set(String... ids) {
        return new TreeSet<>(Set.of(ids));
    }

    @Test
    void comparisonsAndNulls() {
        Map<String, Set<String>> found = members(
                user("eq", "{ field = role, op = \"=\", value = admin }"),
                user("ne", "{ field = role, op = \"!=\", value = admin }"),
                user("lt", "{ field = beats, op = \"<\", value = 7 }"),
                user("le", "{ field = beats, op = \"<=\", value = 7 }"),
                user("gt", "{ field = beats, op = \">\", value = 7 }"),
                user("ge", "{ field = beats, op = \">=\", value = 7 }"),
                user("between", "{ field = beats, op = between, value = [3, 7] }"),
                user("in", "{ field = role, op = in, value = [admin, viewer] }"),
                user("not-in", "{ field = role, op = not-in, value = [admin] }"),
                user("is-set", "{ field = role, op = is-set }"),
                user("is-not-set", "{ field = role, op = is-not-set }"),
                user("not-eq", "{ not = { field = role, op = \"=\", value = admin } }"),
                user("string-order", "{ field = email, op = \"<\", value = c }"));
        assertEquals(set("u1", "u4"), found.get("eq"));
        assertEquals(set("u2", "u3"), found.get("ne"), "a null role passes !=");
        assertEquals(set("u2", "u3"), found.get("lt"));
        assertEquals(set("u2", "u3", "u4"), found.get("le"));
        assertEquals(set("u1"), found.get("gt"));
        assertEquals(set("u1", "u4"), found.get("ge"));
        assertEquals(set("u2", "u4"), found.get("between"), "both ends included");
        assertEquals(set("u1", "u3", "u4"), found.get("in"), "a null role is in no list");
        assertEquals(set("u2", "u3"), found.get("not-in"));
        assertEquals(set("u1", "u3", "u4"), found.get("is-set"));
        assertEquals(set("u2"), found.get("is-not-set"));
        assertEquals(set("u2", "u3"), found.get("not-eq"), "not of a failed comparison on null is true");
        assertEquals(set("u1", "u2"), found.get("string-order"), "strings compare in order; a null email fails");
    }

    @Test
    void stringsAndLists() {
        Map<String, Set<String>> found = members(
                user("contains", "{ field = email, op = contains, value = acme }"),
                user("not-contains", "{ field = email, op = not-contains, value = acme }"),
                user("starts-with", "{ field = email, op = starts-with, value = bob }"),
                user("ends-with", "{ field = email, op = ends-with, value = \".io\" }"),
                user("matches", "{ field = email, op = matches, value = \"^a.*@acme\\\\.com$\" }"),
                user("account-list", "{ field = account.products, op = contains, value = API }"),
                user("account-number", "{ field = account.arr, op = \">=\", value = 20000 }"),
                account("list-contains", "{ field = products, op = contains, value = Analytics }"),
                account("list-not-contains", "{ field = products, op = not-contains, value = Analytics }"),
                account("list-is-set", "{ field = tags, op = is-set }"),
                account("empty-list-not-set", "{ field = products, op = is-not-set }"));
        assertEquals(set("u1", "u4"), found.get("contains"));
        assertEquals(set("u2", "u3"), found.get("not-contains"), "a null email passes not-contains");
        assertEquals(set("u2"), found.get("starts-with"));
        assertEquals(set("u2"), found.get("ends-with"));
        assertEquals(set("u1"), found.get("matches"));
        assertEquals(set("u1", "u4"), found.get("account-list"), "u3 has no account: account.* is null");
        assertEquals(set("u1", "u4"), found.get("account-number"));
        assertEquals(set("a1"), found.get("list-contains"));
        assertEquals(set("a2"), found.get("list-not-contains"));
        assertEquals(set("a1"), found.get("list-is-set"));
        assertEquals(set("a2"), found.get("empty-list-not-set"), "an empty list is not set");
    }

    @Test
    void datesRelativeToTheAsOfDate() {
        Map<String, Set<String>> found = members(
                user("within-30", "{ field = last_seen_date, op = within-last-days, value = 30 }"),
                user("not-within-30", "{ field = last_seen_date, op = not-within-last-days, value = 30 }"),
                user("relative", "{ field = last_seen_date, op = \">=\", value = today-29 }"),
                user("absolute", "{ field = last_seen_date, op = \"<\", value = \"2026-03-02\" }"),
                user("today", "{ field = last_seen_date, op = \"=\", value = today }"),
                account("created-60", "{ field = created_at, op = within-last-days, value = 60 }"));
        assertEquals(set("u1", "u2"), found.get("within-30"), "D-29 is in the 30-day window, D-30 is not");
        assertEquals(set("u3", "u4"), found.get("not-within-30"), "never seen passes not-within");
        assertEquals(set("u1", "u2"), found.get("relative"));
        assertEquals(set("u4"), found.get("absolute"));
        assertEquals(set(), found.get("today"));
        assertEquals(set("a2"), found.get("created-60"));
    }

    @Test
    void topAndBottomPercentRankAllUsersWithAValue() {
        Map<String, Set<String>> found = members(
                user("top-50", "{ field = beats, op = top-percent, value = 50 }"),
                user("top-10", "{ field = beats, op = top-percent, value = 10 }"),
                user("bottom-25", "{ field = beats, op = bottom-percent, value = 25 }"),
                user("top-account-arr", "{ field = account.arr, op = top-percent, value = 100 }"));
        // beats 10, 7, 3, 0: top 50% of 4 = the first 2; 10% of 4 rounds up to the first one
        assertEquals(set("u1", "u4"), found.get("top-50"));
        assertEquals(set("u1"), found.get("top-10"));
        assertEquals(set("u3"), found.get("bottom-25"));
        assertEquals(set("u1", "u2", "u4"), found.get("top-account-arr"), "u3's null account.arr is not ranked");
    }

    @Test
    void behaviourOverDailyActivityWithWindowEdges() {
        Map<String, Set<String>> found = members(
                user("power", "{ done = run_report, within-days = 14, at-least = 6 }"),
                user("power-7", "{ done = run_report, within-days = 14, at-least = 7 }"),
                user("power-15", "{ done = run_report, within-days = 15, at-least = 8 }"),
                user("ever", "{ done = run_report }"),
                user("at-most", "{ done = run_report, at-least = 0, at-most = 5 }"),
                user("anything-7", "{ done = \"*\", within-days = 7 }"),
                user("no-login-30", "{ not-done = login, within-days = 30 }"),
                user("never-reported", "{ not-done = run_report }"),
                user("stopped-login", "{ stopped-doing = login, within-days = 14 }"),
                user("weekly-2", "{ done-regularly = login, periods = 2, period-days = 7, at-least-periods = 2 }"),
                user("weekly-any-of-4", "{ done-regularly = login, periods = 4, period-days = 7, at-least-periods = 1 }"),
                account("account-power", "{ done = run_report, within-days = 14, at-least = 6 }"));
        assertEquals(set("u1"), found.get("power"), "3 on D + 3 on D-13; D-14 is outside");
        assertEquals(set(), found.get("power-7"));
        assertEquals(set("u1"), found.get("power-15"), "15 days reach D-14: 3 + 3 + 2");
        assertEquals(set("u1"), found.get("ever"));
        assertEquals(set("u2", "u3", "u4"), found.get("at-most"), "u1 did it 8 times; at-least 0 lets in who never did");
        assertEquals(set("u1", "u4"), found.get("anything-7"));
        assertEquals(set("u1", "u3"), found.get("no-login-30"));
        assertEquals(set("u2", "u3", "u4"), found.get("never-reported"));
        assertEquals(set("u2"), found.get("stopped-login"), "login on D-21: previous window only");
        assertEquals(set("u4"), found.get("weekly-2"));
        assertEquals(set("u2", "u4"), found.get("weekly-any-of-4"), "u2's D-21 is in week 3");
        assertEquals(set("a1"), found.get("account-power"), "an account counts its users' events");
    }

    @Test
    void eventConditionsWithWhereListsSequencesAndFirstDone() {
        String pdf = "where = \"properties.format = 'pdf'\"";
        Map<String, Set<String>> found = membersWithEvents(
                user("pdf-twice-30", "{ done = export_report, " + pdf + ", within-days = 30, at-least = 2 }"),
                user("pdf-31", "{ done = export_report, " + pdf + ", within-days = 31 }"),
                user("no-pdf-30", "{ not-done = export_report, " + pdf + ", within-days = 30 }"),
                user("not-pdf-twice", "{ done = export_report, where = \"properties.format != 'pdf'\", within-days = 30, at-least = 2 }"),
                user("not-pdf", "{ done = export_report, where = \"properties.format != 'pdf'\", within-days = 30 }"),
                user("stopped-csv", "{ stopped-doing = export_report, where = \"properties.format = 'csv'\", within-days = 2 }"),
                user("pdf-regularly", "{ done-regularly = export_report, " + pdf + ", periods = 5, period-days = 7,"
                        + " at-least-periods = 2 }"),
                user("either-7", "{ done = [invite_user, create_project], within-days = 7 }"),
                user("both-7", "{ done = [invite_user, create_project], within-days = 7, at-least = 2 }"),
                user("neither-7", "{ not-done = [invite_user, create_project], within-days = 7 }"),
                user("created-then-invited-7", "{ sequence = [create_project, invite_user], within-days = 7 }"),
                user("created-then-invited-30", "{ sequence = [create_project, invite_user], within-days = 30 }"),
                user("three-steps", "{ sequence = [create_project, invite_user, export_report], within-days = 30 }"),
                user("first-project-7", "{ first-done = create_project, within-days = 7 }"),
                user("first-export-30", "{ first-done = export_report, within-days = 30 }"),
                account("account-pdf-twice", "{ done = export_report, " + pdf + ", within-days = 30, at-least = 2 }"));
        assertEquals(set("u1"), found.get("pdf-twice-30"), "u1: D-1 and D-26; u2's D-30 is outside 30 days");
        assertEquals(set("u1", "u2"), found.get("pdf-31"), "31 days reach D-30");
        assertEquals(set("u2", "u3", "u4"), found.get("no-pdf-30"));
        assertEquals(set(), found.get("not-pdf-twice"), "u1's export without properties passes no comparison");
        assertEquals(set("u1", "u4"), found.get("not-pdf"));
        assertEquals(set("u1"), found.get("stopped-csv"), "csv on D-2 (previous 2 days), none in the last 2");
        assertEquals(set("u1"), found.get("pdf-regularly"), "u1: periods 0 and 3; u2: period 4 only");
        assertEquals(set("u1", "u3", "u4"), found.get("either-7"), "u1's invite on D-7 is outside; its create on D-1 counts");
        assertEquals(set("u3", "u4"), found.get("both-7"));
        assertEquals(set("u2"), found.get("neither-7"));
        assertEquals(set("u4"), found.get("created-then-invited-7"), "u3: the same instant is not in order; u1: wrong order");
        assertEquals(set("u2", "u4"), found.get("created-then-invited-30"));
        assertEquals(set("u4"), found.get("three-steps"));
        assertEquals(set("u3", "u4"), found.get("first-project-7"), "u1 created a project in February");
        assertEquals(set("u1", "u4"), found.get("first-export-30"), "u2's first export, D-30, is outside");
        assertEquals(set("a1"), found.get("account-pdf-twice"), "an account counts its users' events");
    }

    @Test
    void segmentsReferToSegmentsInDependencyOrderAndAccountsCountMatchingUsers() {
        Map<String, Set<String>> found = members(
                user("not-power", "{ not-in-segment = power }"),     // before the segment it uses
                user("power", "{ done = run_report, within-days = 14, at-least = 6 }"),
                user("admins", "{ field = role, op = \"=\", value = admin }"),
                user("power-admins", "{ all = [ { in-segment = power }, { in-segment = admins } ] }"),
                user("any", "{ any = [ { in-segment = power }, { field = beats, op = \"=\", value = 3 } ] }"),
                user("where", "{ where = \"beats > 5 AND role = 'admin' AND account.arr > 20000\" }"),
                user("where-null", "{ where = \"email LIKE '%acme%'\" }"),
                account("two-admins", "{ users-matching = { in-segment = admins }, at-least = 2 }"),
                account("three-admins", "{ users-matching = { field = role, op = \"=\", value = admin }, at-least = 3 }"),
                account("one-power-user", "{ users-matching = { in-segment = power } }"),
                account("where-tags", "{ where = \"array_contains(tags, 'at-risk')\" }"));
        assertEquals(set("u2", "u3", "u4"), found.get("not-power"));
        assertEquals(set("u1"), found.get("power-admins"));
        assertEquals(set("u1", "u2"), found.get("any"));
        assertEquals(set("u1", "u4"), found.get("where"));
        assertEquals(set("u1", "u4"), found.get("where-null"), "a where that is null is false");
        assertEquals(set("a1"), found.get("two-admins"));
        assertEquals(set(), found.get("three-admins"));
        assertEquals(set("a1"), found.get("one-power-user"));
        assertEquals(set("a1"), found.get("where-tags"));
    }
}
