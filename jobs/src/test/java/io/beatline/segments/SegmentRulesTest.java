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

    /** segment id -> its members, for segments given as HOCON `{ id = ..., entity = ..., rule { ... } }` objects. */
    static Map<String, Set<String>> members(String... segments) {
        BeatlineConfig config = new TestLake(dir).config("segments = [" + String.join(",", segments) + "]");
        SegmentEvaluation evaluation = new SegmentEvaluation(config, D);
        evaluation.checkWhere(spark);
        Dataset<Row> none = spark.sql("SELECT CAST(NULL AS STRING) entity_id, CAST(NULL AS STRING) metric,"
                + " CAST(NULL AS DOUBLE) value").limit(0);
        // the wiring SegmentsJob uses, on hand-made frames
        SegmentEvaluation.Evaluated evaluated = evaluation.evaluate(new SegmentEvaluation.Inputs(
                engagement, endUsers, kpis, companies, none, none, activity, activity));
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
