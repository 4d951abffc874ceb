package io.beatline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calculated metrics for D = 2026-03-31, by hand. u1 and u2 are in acc_A (10 seats), u3 in
 * acc_B. Over the 7 days Mar 25..31, acc_A's daily series of all events (weights: run_report 3)
 * is Mar 25: 2, Mar 30: 4, Mar 31: 1; acc_B has no data. acc_A's custom open_tickets:
 * Mar 20: 7, Mar 29: 4, Mar 31: 2.
 */
class MetricsIT {

    static final LocalDate D = LocalDate.parse("2026-03-31");

    @TempDir
    Path dir;
    TestLake lake;
    Path config;

    static String event(String id, String name, String user, String timestamp) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"" + name + "\",\"user_id\":\"" + user + "\",\"timestamp\":\"" + timestamp + "\"}";
    }

    static String metric(String name, String entity, String source, String op, String window) {
        return "  " + name + " { entity = " + entity + ", aggregates.x { source = \"" + source + "\", op = " + op + window
                + " }, value = \"x\" }";
    }

    @BeforeEach
    void land() throws Exception {
        lake = new TestLake(dir);
        lake.landEvents(LocalDate.parse("2026-02-01"), "e.jsonl", event("e0", "login", "u3", "2026-02-01T10:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-10"), "e.jsonl", event("e1", "login", "u1", "2026-03-10T10:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-20"), "e.jsonl",
                event("e2", "run_report", "u1", "2026-03-20T10:00:00Z"), event("e3", "run_report", "u1", "2026-03-20T11:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-25"), "e.jsonl",
                event("e4", "login", "u1", "2026-03-25T10:00:00Z"), event("e5", "login", "u1", "2026-03-25T11:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-30"), "e.jsonl",
                event("e6", "login", "u1", "2026-03-30T10:00:00Z"), event("e7", "run_report", "u1", "2026-03-30T11:00:00Z"));
        lake.landEvents(D, "e.jsonl", event("e8", "login", "u2", "2026-03-31T10:00:00Z"));
        lake.land("crm/companies", D, "c.csv", "company_id,name\nacc_A,Acme\nacc_B,Blue\n");
        lake.land("crm/end_users", D, "u.csv", "user_id,company_id\nu1,acc_A\nu2,acc_A\nu3,acc_B\n");
        lake.land("crm/licenses", D, "l.csv", "license_id,company_id,amount,seats,start_date\nL1,acc_A,1200,10,2026-01-01\n");
        lake.land("crm/custom_metrics", D, "m.csv", "entity_type,entity_id,metric,date,value\n"
                + "account,acc_A,open_tickets,2026-03-20,7\naccount,acc_A,open_tickets,2026-03-29,4\n"
                + "account,acc_A,open_tickets,2026-03-31,2\n");

        String week = ", days = 7";
        config = dir.resolve("metrics.conf");
        Files.writeString(config, String.join("\n",
                "raw = \"" + lake.raw + "\"", "lake = \"" + lake.lake + "\"",
                "events.weights { run_report = 3 }",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }",
                "metrics {",
                metric("logins_7d", "account", "event:login", "sum", week),
                metric("all_sum", "account", "event:*", "sum", week),
                metric("all_count", "account", "event:*", "count", week),
                metric("all_avg", "account", "event:*", "avg", week),
                metric("all_avg_daily", "account", "event:*", "avg_daily", week),
                metric("all_min", "account", "event:*", "min", week),
                metric("all_max", "account", "event:*", "max", week),
                metric("all_last", "account", "event:*", "last", week),
                metric("all_active_days", "account", "event:*", "active_days", week),
                metric("all_users", "account", "event:*", "users", week),
                metric("all_days_since", "account", "event:*", "days_since", week),
                metric("total_logins", "user", "event:login", "count", ""),
                metric("tickets_last", "account", "custom:open_tickets", "last", week),
                metric("tickets_max", "account", "custom:open_tickets", "max", ""),
                "  avg_daily_logins { entity = account, aggregates.l { source = \"event:login\", op = sum, days = 7 },"
                        + " value = \"l / 7\" }",
                "  report_trend { entity = user",
                "    aggregates.now { source = \"event:run_report\", op = count, days = 7 }",
                "    aggregates.prev { source = \"event:run_report\", op = count, days = 7, offset-days = 7 }",
                "    value = \"CASE WHEN prev = 0 THEN NULL ELSE now / prev - 1 END\" }",
                "  seats_per_user { entity = account, aggregates.u { source = [\"event:login\", \"event:run_report\"],"
                        + " op = users, days = 30 }, value = \"seats / u\" }",
                "  beats_twice { entity = user, value = \"beats * 2\" }",
                "}",
                "health.account.components {",
                "  usage { source = beats_total, weight = 1, good = 20, bad = 0 }",
                "  logins { source = \"metric.logins_7d\", weight = 1, good = 8, bad = 0 }",
                "}",
                "health.user.components.active { source = active_days_30d, weight = 1, good = 10, bad = 0 }", ""));
    }

    private Map<String, Double> values() {
        Map<String, Double> values = new HashMap<>();
        for (Row row : lake.table(MetricValues.TABLE).filter("as_of_date = DATE'" + D + "'").collectAsList()) {
            values.put(row.getAs("metric") + " " + row.getAs("entity_id"), row.isNullAt(row.fieldIndex("value")) ? null : row.getAs("value"));
        }
        return values;
    }

    @Test
    void everyOpWithAndWithoutDataOffsetsAllTimeCustomSourcesAndEntityColumns() {
        Cli result = Cli.run("run", "--as-of", D.toString(), "--config", config.toString());
        assertEquals(0, result.exitCode(), result.err());
        Map<String, Double> v = values();

        assertEquals(4.0, v.get("logins_7d acc_A"), "u1: 2 on Mar 25, 1 on Mar 30; u2: 1 on Mar 31");
        assertEquals(0.0, v.get("logins_7d acc_B"), "no data: 0 for sum");
        assertEquals(7.0, v.get("all_sum acc_A"));
        assertEquals(5.0, v.get("all_count acc_A"));
        assertEquals(7.0 / 3, v.get("all_avg acc_A"), 1e-12, "mean over the 3 days with data");
        assertEquals(1.0, v.get("all_avg_daily acc_A"), "7 / 7 days");
        assertEquals(1.0, v.get("all_min acc_A"));
        assertEquals(4.0, v.get("all_max acc_A"));
        assertEquals(1.0, v.get("all_last acc_A"), "Mar 31");
        assertEquals(3.0, v.get("all_active_days acc_A"));
        assertEquals(2.0, v.get("all_users acc_A"));
        assertEquals(0.0, v.get("all_days_since acc_A"));
        for (String nullWhenEmpty : new String[] {"all_avg", "all_avg_daily", "all_min", "all_max", "all_last", "all_days_since"}) {
            assertTrue(v.containsKey(nullWhenEmpty + " acc_B"), nullWhenEmpty);
            assertNull(v.get(nullWhenEmpty + " acc_B"), nullWhenEmpty + " is null without data");
        }
        for (String zeroWhenEmpty : new String[] {"all_sum", "all_count", "all_active_days", "all_users"}) {
            assertEquals(0.0, v.get(zeroWhenEmpty + " acc_B"), zeroWhenEmpty + " is 0 without data");
        }
        assertEquals(4.0, v.get("total_logins u1"), "all time: Mar 10, 25 (2), 30");
        assertEquals(1.0, v.get("total_logins u3"), "Feb 1");
        assertEquals(2.0, v.get("tickets_last acc_A"), "custom source, latest day in the window");
        assertNull(v.get("tickets_last acc_B"));
        assertEquals(7.0, v.get("tickets_max acc_A"), "all time");
        assertEquals(4.0 / 7, v.get("avg_daily_logins acc_A"), 1e-12);
        assertEquals(-0.5, v.get("report_trend u1"), "1 this week, 2 the week before (offset 7)");
        assertNull(v.get("report_trend u2"), "prev = 0");
        assertEquals(5.0, v.get("seats_per_user acc_A"), "10 seats (account_kpis) / 2 users");
        assertNull(v.get("seats_per_user acc_B"), "no seats");
        assertEquals(24.0, v.get("beats_twice u1"), "beats (user_engagement) = 6 + 2 + 1 + 3 = 12");
        assertEquals(15 * 2 + 3 * 3 + 3 * 2 + 2 * 3, v.size(), "every metric for every entity of its type: 15 account,"
                + " 3 user metrics; health and 2 components for 2 accounts, health and 1 component for 3 users");

        // health: acc_A beats_total 12 + 1 = 13 -> 65 (good 20); logins_7d 4 -> 50 (good 8); mean 57.5
        assertEquals(65.0, v.get("health.usage acc_A"), 1e-9);
        assertEquals(50.0, v.get("health.logins acc_A"), 1e-9);
        assertEquals(57.5, v.get("health acc_A"), 1e-9);
        assertEquals(0.0, v.get("health acc_B"));
        Map<String, Double> healthScores = new HashMap<>();
        lake.table(io.beatline.accounts.AccountKpis.TABLE).collectAsList()
                .forEach(r -> healthScores.put(r.getAs("account_id"), r.getAs("health_score")));
        assertEquals(57.5, healthScores.get("acc_A"), 1e-9);
        assertEquals(0.0, healthScores.get("acc_B"));
        assertEquals(v.get("all_sum acc_A"), 7.0, "the metrics and the health rows are written together");
        // user health: active days in Mar 2..31 -> u1 4 (Mar 10, 20, 25, 30) = 40, u2 1 = 10, u3 0 (Feb 1) = 0
        assertEquals(40.0, v.get("health u1"), 1e-9);
        assertEquals(10.0, v.get("health.active u2"), 1e-9);
        assertEquals(0.0, v.get("health u3"));

        Contracts.assertContract(MetricValues.TABLE, lake.table(MetricValues.TABLE));
        Row definition = lake.table(MetricDefinitions.TABLE).filter("metric = 'report_trend'").first();
        assertEquals("user", definition.getAs("entity_type"));
        assertTrue(definition.<String>getAs("definition").contains("offset-days"), definition.toString());
        assertEquals(18, lake.table(MetricDefinitions.TABLE).count(), "15 account and 3 user metrics");

        // the stage alone, by its old name: account_kpis is written with its health scores, never without
        Cli accountKpis = Cli.run("account-kpis", "--as-of", D.toString(), "--config", config.toString());
        assertEquals(0, accountKpis.exitCode(), accountKpis.err());
        assertTrue(accountKpis.out().startsWith("metrics " + D + ": 2 accounts, 18 metrics, "), accountKpis.out());
        Map<String, Double> again = new HashMap<>();
        lake.table(io.beatline.accounts.AccountKpis.TABLE).collectAsList()
                .forEach(r -> again.put(r.getAs("account_id"), r.getAs("health_score")));
        assertEquals(healthScores, again);
        assertEquals(v, values());
    }

    /**
     * All-time sum, count, users and days_since read the months before the windows (here: before
     * March, as the longest window, 7 days, starts on Mar 25) from user_monthly_events; with u3's
     * export_report on Jan 15 and login on Feb 1 the values need both months. Without the rollup
     * (a lake of an older beatline) the stage reads every day, with the same values, and the next
     * activity run rolls every month up.
     */
    @Test
    void allTimeSumsCountsUsersAndDaysSinceReadTheMonthsBeforeTheWindowsFromTheMonthlyRollup() throws Exception {
        lake.landEvents(LocalDate.parse("2026-01-15"), "e.jsonl", event("e9", "export_report", "u3", "2026-01-15T10:00:00Z"));
        Path allTime = dir.resolve("all-time.conf");
        Files.writeString(allTime, String.join("\n",
                "raw = \"" + lake.raw + "\"", "lake = \"" + lake.lake + "\"",
                "events.weights { run_report = 3 }",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }",
                "metrics {",
                metric("logins_7d", "account", "event:login", "sum", ", days = 7"),
                metric("since_login", "account", "event:login", "days_since", ""),
                metric("since_any", "user", "event:*", "days_since", ""),
                metric("users_ever", "account", "event:*", "users", ""),
                metric("weight_ever", "user", "event:*", "sum", ""),
                metric("events_ever", "account", "event:*", "count", ""),
                "}", ""));
        Cli result = Cli.run("run", "--as-of", D.toString(), "--config", allTime.toString());
        assertEquals(0, result.exitCode(), result.err());
        Map<String, Double> expected = new HashMap<>(Map.of(
                "since_login acc_A", 0.0, "since_login acc_B", 58.0, // u2 on Mar 31; u3 on Feb 1
                "since_any u1", 1.0, "since_any u2", 0.0, "since_any u3", 58.0,
                "users_ever acc_A", 2.0, "users_ever acc_B", 1.0,
                "weight_ever u1", 13.0, "weight_ever u2", 1.0, "weight_ever u3", 2.0)); // u1: 4 logins + 3 reports x 3
        expected.put("events_ever acc_A", 8.0); // u1 7, u2 1
        expected.put("events_ever acc_B", 2.0);
        expected.put("logins_7d acc_A", 4.0);
        expected.put("logins_7d acc_B", 0.0);
        assertEquals(expected, values());
        assertEquals(List.of("2026-01-01 export_report 1 1", "2026-02-01 login 1 1"), monthlyEvents("u3"));
        assertEquals(List.of("2026-03-01"), lake.table(io.beatline.activity.UserDailyActivity.TABLE)
                .selectExpr("CAST(trunc(activity_date, 'month') AS STRING)").distinct().collectAsList().stream()
                .map(r -> r.getString(0)).filter(m -> m.compareTo("2026-03-01") >= 0).toList(), "March has daily rows");
        assertEquals(0, lake.table(io.beatline.activity.UserMonthlyEvents.TABLE).filter("month = DATE'2026-03-01'").count(),
                "D's own month is rolled up once it closes");

        // a lake without the rollup: every day is read, and activity rolls the months up before anything else
        List<Row> rolledUp = lake.table(io.beatline.activity.UserMonthlyEvents.TABLE).orderBy("user_id", "month", "event")
                .collectAsList();
        org.apache.commons.io.FileUtils.deleteDirectory(lake.lake.resolve("gold/user_monthly_events").toFile());
        Cli metrics = Cli.run("metrics", "--as-of", D.toString(), "--config", allTime.toString());
        assertEquals(0, metrics.exitCode(), metrics.err());
        assertEquals(expected, values());
        Cli activity = Cli.run("activity", "--as-of", D.toString(), "--config", allTime.toString());
        assertEquals(0, activity.exitCode(), activity.err());
        assertTrue(activity.out().contains("user_monthly_events rolled up from the daily activity of the 2 months rolled up"),
                activity.out());
        assertEquals(List.of("2026-01-01 export_report 1 1", "2026-02-01 login 1 1"), monthlyEvents("u3"));
        assertEquals(rolledUp, lake.table(io.beatline.activity.UserMonthlyEvents.TABLE).orderBy("user_id", "month", "event")
                .collectAsList(), "the same rows as activity rolled up");

        // April: March has closed; a stage that reads the rollups refuses until activity has rolled March up
        LocalDate april = D.plusDays(1);
        Cli early = Cli.run("engagement", "--as-of", april.toString(), "--config", allTime.toString());
        assertEquals(1, early.exitCode(), early.out());
        assertTrue(early.err().contains("2026-03 is not rolled up yet: run `beatline activity --as-of 2026-04-01` first"),
                early.err());
        Cli closing = Cli.run("activity", "--as-of", april.toString(), "--config", allTime.toString());
        assertEquals(0, closing.exitCode(), closing.err());
        assertTrue(closing.out().contains("1 closed month rolled up (2026-03)"), closing.out());
        assertEquals(List.of("2026-03-01 login 4 3", "2026-03-01 run_report 3 2"),
                monthlyEvents("u1").stream().filter(row -> row.startsWith("2026-03")).toList());
        assertEquals(0, Cli.run("engagement", "--as-of", april.toString(), "--config", allTime.toString()).exitCode());
    }

    /** A user's user_monthly_events rows: month, event, count, active days. */
    private List<String> monthlyEvents(String user) {
        return lake.table(io.beatline.activity.UserMonthlyEvents.TABLE).filter("user_id = '" + user + "'").orderBy("month", "event")
                .collectAsList().stream().map(r -> r.getAs("month") + " " + r.getAs("event") + " " + r.getAs("event_count") + " "
                        + r.getAs("active_days")).toList();
    }

    @Test
    void aValueNamingAnUnknownColumnIsAConfigErrorBeforeAnyWrite() throws Exception {
        Files.writeString(config, Files.readString(config).replace("value = \"beats * 2\"", "value = \"beatz * 2\""));
        Cli result = Cli.run("run", "--as-of", D.toString(), "--config", config.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("metrics.beats_twice.value"), result.err());
        assertTrue(result.err().contains("metrics.conf, line "), result.err());
        assertFalse(Files.exists(lake.lake.resolve("gold/metric_values")), "nothing written");
        // nor any table before it: no stage ran (the check is before step 1, pipeline/ConfigCheck)
        if (Files.exists(lake.lake)) {
            try (var paths = Files.walk(lake.lake)) {
                assertEquals(List.of(), paths.filter(path -> path.endsWith("_delta_log")).toList(), "no Delta table written");
            }
        }
    }
}
