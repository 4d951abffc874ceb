package io.beatline.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.cli.Cli;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.crm.CrmIngestJob;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * user_engagement for D = 2026-03-31 over a hand-made history, with the default 14-day window:
 * now = Mar 18..31, previous = Mar 4..17, 30 days = Mar 2..31; February is a closed month.
 * Weights: run_report 3, others 1; page_view excluded; onboarding = complete_profile,
 * connect_data_source. Every expected value below was worked out by hand.
 */
class UserEngagementIT {

    static final LocalDate D = LocalDate.parse("2026-03-31");

    @TempDir
    Path dir;
    TestLake lake;
    Path config;

    static String event(String id, String event, String user, String account, String timestamp) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"" + event + "\",\"user_id\":\"" + user + "\""
                + (account == null ? "" : ",\"account_id\":\"" + account + "\"") + ",\"timestamp\":" + timestamp + "}";
    }

    static String iso(String timestamp) {
        return "\"" + timestamp + "\"";
    }

    @BeforeEach
    void landHistory() throws Exception {
        lake = new TestLake(dir);
        config = dir.resolve("engagement.conf");
        Files.writeString(config, String.join("\n",
                "raw = \"" + lake.raw + "\"",
                "lake = \"" + lake.lake + "\"",
                "events { weights { run_report = 3 }, excluded = [page_view] }",
                "onboarding.events = [complete_profile, connect_data_source]",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }", ""));

        lake.landEvents(LocalDate.parse("2026-02-05"), "e.jsonl", event("r1", "login", "u_res", null, iso("2026-02-05T10:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-02-10"), "e.jsonl", event("t1", "login", "u_ret", "acc_B", iso("2026-02-10T09:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-02-11"), "e.jsonl",
                event("t2", "complete_profile", "u_ret", "acc_B", iso("2026-02-11T09:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-03"), "e.jsonl", event("i1", "login", "u_inact", null, iso("2026-03-03T12:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-04"), "e.jsonl", event("g1", "login", "u_edge", null, iso("2026-03-04T08:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-10"), "e.jsonl",
                event("t3", "login", "u_ret", "acc_B", iso("2026-03-10T09:00:00Z")),
                event("t4", "connect_data_source", "u_ret", "acc_B", iso("2026-03-10T09:05:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-17"), "e.jsonl",
                event("d1", "login", "u_dorm", null, iso("2026-03-17T23:00:00Z")),
                event("z1", "login", "u_tz", null, iso("2026-03-18T00:30:00+02:00")));          // Mar 17 22:30 UTC
        lake.landEvents(LocalDate.parse("2026-03-18"), "e.jsonl", event("g2", "login", "u_edge", null, iso("2026-03-18T00:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-20"), "e.jsonl", event("n1", "login", "u_new", "acc_N", iso("2026-03-20T10:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-23"), "e.jsonl", event("z2", "login", "u_tz", null, "1774267200000")); // Mar 23 12:00 UTC
        lake.landEvents(LocalDate.parse("2026-03-25"), "e.jsonl",
                event("t5", "run_report", "u_ret", "acc_B", iso("2026-03-25T09:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-29"), "e.jsonl", event("l1", "login", "u_late", null, iso("2026-03-29T10:00:00Z")));
        lake.landEvents(LocalDate.parse("2026-03-30"), "e.jsonl", event("r2", "login", "u_res", null, iso("2026-03-30T10:00:00Z")));
        lake.landEvents(D, "e.jsonl",
                event("g3", "login", "u_edge", null, iso("2026-03-31T23:59:59Z")),
                event("g4", "login", "u_edge", null, iso("2026-04-01T08:00:00Z")),              // after D: not counted for D
                event("g5", "page_view", "u_edge", null, iso("2026-03-31T10:00:00Z")),          // excluded
                event("z3", "login", "u_tz", null, iso("2026-03-31T23:30:00-02:00")),           // Apr 1 01:30 UTC
                event("l1", "login", "u_late", null, iso("2026-03-29T10:00:00Z")),              // re-delivered
                event("l2", "login", "u_late", null, iso("2026-03-29T15:00:00Z")));             // late, two days

        String users = "user_id,company_id,email,name,role,title,created_at\n";
        lake.land("crm/end_users", LocalDate.parse("2026-03-01"), "end_users.csv", users + "u_ret,acc_OLD,r@x.io,Ret,admin,,2026-01-01\n");
        lake.land("crm/end_users", D, "end_users.csv", users
                + "u_ret,acc_A,r@x.io,Ret,admin,,2026-01-01\n"
                + "u_never,acc_A,n@x.io,Never,viewer,,2026-03-01\n"
                + "u_res,acc_B,,,,,\n" + "u_dorm,acc_B,,,,,\n" + "u_inact,acc_B,,,,,\n"
                + "u_edge,acc_E,,,,,\n" + "u_tz,acc_B,,,,,\n" + "u_late,acc_B,,,,,\n");
        lake.land("crm/end_users", LocalDate.parse("2026-04-02"), "end_users.csv", users + "u_ret,acc_NEW,r@x.io,Ret,admin,,2026-01-01\n");
        String nps = "response_id,user_id,company_id,score,responded_at,comment\n";
        lake.land("crm/nps_responses", D, "nps.csv", nps
                + "p1,u_ret,acc_A,9,2026-03-01T10:00:00Z,\n"
                + "p2,u_ret,acc_A,6,2026-03-20T10:00:00Z,slow\n"
                + "p3,u_ret,acc_A,10,2026-04-05T10:00:00Z,after D\n"
                + "p4,u_new,acc_N,8,2026-03-21T10:00:00Z,\n");
    }

    private Map<String, Row> engagement(LocalDate asOf) {
        return lake.table(UserEngagement.TABLE).filter("as_of_date = DATE'" + asOf + "'").collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("user_id"), r -> r, (a, b) -> a, TreeMap::new));
    }

    private Cli run(String asOf) {
        return Cli.run("run", "--as-of", asOf, "--config", config.toString());
    }

    /** user, account, beats, previous, trend, trend %, experience, percentile, first, last, days since, active 30d, lifecycle. */
    private static void assertUser(Row row, String account, double beats, double previous, double trend, Double trendPct,
                                   double experience, double percentile, String first, String last, Integer daysSince,
                                   int active30, String lifecycle) {
        String user = row.getAs("user_id");
        assertEquals(account, row.getAs("account_id"), user + " account");
        assertEquals(beats, (double) row.getAs("beats"), user + " beats");
        assertEquals(previous, (double) row.getAs("beats_previous"), user + " beats_previous");
        assertEquals(trend, (double) row.getAs("beat_trend"), user + " beat_trend");
        assertEquals(trendPct, row.getAs("beat_trend_pct"), user + " beat_trend_pct");
        assertEquals(experience, (double) row.getAs("experience"), user + " experience");
        assertEquals(percentile, (double) row.getAs("experience_percentile"), 1e-9, user + " experience_percentile");
        assertEquals(first == null ? null : Date.valueOf(first), row.getAs("first_seen_date"), user + " first_seen_date");
        assertEquals(last == null ? null : Date.valueOf(last), row.getAs("last_seen_date"), user + " last_seen_date");
        assertEquals(daysSince, row.getAs("days_since_last_seen"), user + " days_since_last_seen");
        assertEquals(active30, (int) row.getAs("active_days_30d"), user + " active_days_30d");
        assertEquals(lifecycle, row.getAs("lifecycle"), user + " lifecycle");
    }

    @Test
    void everyColumnForEveryKindOfUser() {
        Cli result = run("2026-03-31");
        assertEquals(0, result.exitCode(), result.err());
        Map<String, Row> rows = engagement(D);
        assertEquals(List.of("u_dorm", "u_edge", "u_inact", "u_late", "u_never", "u_new", "u_res", "u_ret", "u_tz"),
                List.copyOf(rows.keySet()));

        assertUser(rows.get("u_new"), "acc_N", 1, 0, 1, null, 1, 12.5, "2026-03-20", "2026-03-20", 11, 1, "new");
        assertUser(rows.get("u_ret"), "acc_A", 3, 2, 1, 50.0, 7, 100, "2026-02-10", "2026-03-25", 6, 2, "returning");
        assertUser(rows.get("u_res"), "acc_B", 1, 0, 1, null, 2, 50, "2026-02-05", "2026-03-30", 1, 1, "resurrecting");
        assertUser(rows.get("u_dorm"), "acc_B", 0, 1, -1, -100.0, 1, 12.5, "2026-03-17", "2026-03-17", 14, 1, "dormant");
        assertUser(rows.get("u_inact"), "acc_B", 0, 0, 0, null, 1, 12.5, "2026-03-03", "2026-03-03", 28, 1, "inactive");
        assertUser(rows.get("u_never"), "acc_A", 0, 0, 0, null, 0, 0, null, null, null, 0, "never_active");
        assertUser(rows.get("u_edge"), "acc_E", 2, 1, 1, 100.0, 3, 87.5, "2026-03-04", "2026-03-31", 0, 3, "returning");
        assertUser(rows.get("u_tz"), "acc_B", 1, 1, 0, 0.0, 2, 50, "2026-03-17", "2026-03-23", 8, 2, "returning");
        assertUser(rows.get("u_late"), "acc_B", 2, 0, 2, null, 2, 50, "2026-03-29", "2026-03-29", 2, 1, "new");

        Row ret = rows.get("u_ret");
        assertEquals(2, (int) ret.getAs("onboarding_steps_done"));
        assertTrue((boolean) ret.getAs("onboarding_completed"));
        assertEquals(6, (int) ret.getAs("nps_score"), "latest response on or before D");
        assertEquals("detractor", ret.getAs("nps_category"));
        assertEquals(8, (int) rows.get("u_new").getAs("nps_score"));
        assertEquals("passive", rows.get("u_new").getAs("nps_category"));
        assertEquals(0, (int) rows.get("u_edge").getAs("onboarding_steps_done"));
        assertEquals(false, rows.get("u_edge").getAs("onboarding_completed"));
        assertNull(rows.get("u_edge").getAs("nps_score"));

        Contracts.assertContract(UserEngagement.TABLE, lake.table(UserEngagement.TABLE));
        Contracts.assertContract(UserDailyActivity.TABLE, lake.table(UserDailyActivity.TABLE));
        Contracts.assertContract(UserMonthlyActivity.TABLE, lake.table(UserMonthlyActivity.TABLE));
        assertTrue(result.out().contains("9 users"), result.out());
        assertTrue(result.out().contains("new 2, returning 3, resurrecting 1, dormant 1, inactive 1, never_active 1"), result.out());
        dailyActivityCountsEachUserDayAndEventOnce(); // of the same run: each run of the history costs most of a minute of CI
    }

    private void dailyActivityCountsEachUserDayAndEventOnce() {
        Map<String, Row> activity = lake.table(UserDailyActivity.TABLE).collectAsList().stream().collect(Collectors.toMap(
                r -> r.getAs("user_id") + " " + r.getAs("activity_date") + " " + r.getAs("event"), r -> r));
        Row late = activity.get("u_late 2026-03-29 login");
        assertEquals(2L, (long) late.getAs("event_count"), "a late event and a re-delivery counted once");
        assertEquals(3.0, (double) activity.get("u_ret 2026-03-25 run_report").getAs("weighted_count"));
        assertEquals("acc_B", activity.get("u_ret 2026-03-25 run_report").getAs("account_id"));
        assertEquals(1L, (long) activity.get("u_edge 2026-03-31 login").getAs("event_count"));
        assertTrue(activity.containsKey("u_edge 2026-04-01 login"), "dated after D, kept for later dates");
        assertTrue(activity.keySet().stream().noneMatch(k -> k.contains("page_view")), "excluded events are not activity");
        Row february = lake.table(UserMonthlyActivity.TABLE).filter("user_id = 'u_ret' AND month = DATE'2026-02-01'").first();
        assertEquals(2.0, (double) february.getAs("weighted_count"));
        assertEquals(2L, (long) february.getAs("active_days"));
    }

    @Test
    void aLaterSnapshotOrARerunChangesNothingForD() throws Exception {
        assertEquals(0, run("2026-03-31").exitCode());
        List<Row> before = lake.table(UserEngagement.TABLE).orderBy("user_id").collectAsList();
        JobContext context = JobContext.create(io.beatline.testing.TestSpark.session(),
                io.beatline.config.ConfigLoader.load(java.util.Optional.of(config), List.of()));
        new CrmIngestJob(context).ingestDate(LocalDate.parse("2026-04-02"), IngestOptions.landingDate(false, false));  // u_ret moves to acc_NEW on Apr 2
        new EngagementJob(context).run(D);
        assertEquals(before, lake.table(UserEngagement.TABLE).orderBy("user_id").collectAsList());
        assertEquals(0, run("2026-03-31").exitCode());
        assertEquals(before, lake.table(UserEngagement.TABLE).orderBy("user_id").collectAsList());
    }

    @Test
    void aLateEventRecomputesOnlyItsDateAndCorrectsExperience() {
        assertEquals(0, run("2026-03-31").exitCode());
        lake.landEvents(LocalDate.parse("2026-04-01"), "e.jsonl",
                event("n2", "run_report", "u_new", "acc_N", iso("2026-03-20T11:00:00Z")),      // late by 12 days
                event("n3", "login", "u_new", "acc_N", iso("2026-04-01T09:00:00Z")));
        Cli result = run("2026-04-01");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("for 2 event dates (2026-03-20..2026-04-01)"), result.out());
        Row newUser = engagement(LocalDate.parse("2026-04-01")).get("u_new");
        assertEquals(5.0, (double) newUser.getAs("experience"), "1 + 3 (late run_report) + 1");
        assertEquals(5.0, (double) newUser.getAs("beats"), "now = Mar 19..Apr 1");
        assertEquals(Date.valueOf("2026-04-01"), newUser.getAs("last_seen_date"));
        Row edge = engagement(LocalDate.parse("2026-04-01")).get("u_edge");
        assertEquals(4.0, (double) edge.getAs("experience"), "the Apr 1 login now counts; the closed month of March is rolled up");
        // the late event is a row of its own landing: Mar 20's earlier row stays as its landing wrote it
        assertEquals(List.of("2026-03-20 login 2026-03-20 1", "2026-03-20 run_report 2026-04-01 1", "2026-04-01 login 2026-04-01 1"),
                actorRows("u_new"));
        assertEquals(List.of("2026-03-20 login 1", "2026-03-20 run_report 1", "2026-04-01 login 1"), dailyRows("u_new"));

        // the Apr 1 folder delivered again without the late event: its rows are replaced, nothing added twice
        lake.landEvents(LocalDate.parse("2026-04-01"), "e.jsonl",
                event("n3", "login", "u_new", "acc_N", iso("2026-04-01T09:00:00Z")));
        Cli again = run("2026-04-01");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of("2026-03-20 login 2026-03-20 1", "2026-04-01 login 2026-04-01 1"), actorRows("u_new"));
        assertEquals(List.of("2026-03-20 login 1", "2026-04-01 login 1"), dailyRows("u_new"));
        assertEquals(2.0, (double) engagement(LocalDate.parse("2026-04-01")).get("u_new").getAs("experience"));

        // actor rows as a beatline before 2026-12 wrote them (no landing date) are computed again from silver events
        List<String> perLanding = actorRows("u_new");
        lake.table(io.beatline.activity.ActorDailyActivity.TABLE).drop("landing_date").write().format("delta")
                .mode(org.apache.spark.sql.SaveMode.Overwrite).option("overwriteSchema", "true").partitionBy("activity_date")
                .save(lake.lake.resolve("gold/actor_daily_activity").toString());
        Cli activity = Cli.run("activity", "--as-of", "2026-04-01", "--config", config.toString());
        assertEquals(0, activity.exitCode(), activity.err());
        assertTrue(activity.out().contains("actor_daily_activity computed again per landing date from silver events"), activity.out());
        assertEquals(perLanding, actorRows("u_new"));
    }

    /** A user's actor rows: activity date, event, landing date, count. */
    private List<String> actorRows(String user) {
        return lake.table(io.beatline.activity.ActorDailyActivity.TABLE).filter("actor_id = '" + user + "'")
                .orderBy("activity_date", "event", "landing_date").collectAsList().stream()
                .map(r -> r.getAs("activity_date") + " " + r.getAs("event") + " " + r.getAs("landing_date") + " " + r.getAs("event_count"))
                .toList();
    }

    /** A user's daily activity rows: activity date, event, count. */
    private List<String> dailyRows(String user) {
        return lake.table(io.beatline.activity.UserDailyActivity.TABLE).filter("user_id = '" + user + "'")
                .orderBy("activity_date", "event").collectAsList().stream()
                .map(r -> r.getAs("activity_date") + " " + r.getAs("event") + " " + r.getAs("event_count")).toList();
    }
}
