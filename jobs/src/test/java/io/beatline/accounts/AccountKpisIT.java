package io.beatline.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.beatline.cli.Cli;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * account_kpis for D = 2026-03-31 over a hand-made CRM and history (14-day beats window, NPS
 * window 365 days, onboarding = login). Expected values worked out by hand.
 */
class AccountKpisIT {

    static final LocalDate D = LocalDate.parse("2026-03-31");

    @TempDir
    Path dir;

    static String login(String id, String user, String account, String timestamp) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"login\",\"user_id\":\"" + user + "\""
                + (account == null ? "" : ",\"account_id\":\"" + account + "\"") + ",\"timestamp\":\"" + timestamp + "\"}";
    }

    @Test
    void everyKpiOfEveryKindOfAccount() throws Exception {
        TestLake lake = new TestLake(dir);
        Path config = dir.resolve("kpis.conf");
        Files.writeString(config, String.join("\n", "raw = \"" + lake.raw + "\"", "lake = \"" + lake.lake + "\"",
                "onboarding.events = [login]", "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }", ""));
        lake.landEvents(LocalDate.parse("2026-02-10"), "e.jsonl", login("z1", "u1", "acc_Z", "2026-02-10T10:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-10"), "e.jsonl", login("b1", "u3", null, "2026-03-10T10:00:00Z"));
        lake.landEvents(LocalDate.parse("2026-03-26"), "e.jsonl", login("a2", "u2", null, "2026-03-26T10:00:00Z"));
        lake.landEvents(D, "e.jsonl",
                login("a1", "u1", null, "2026-03-31T10:00:00Z"),
                login("c1", "u4", "acc_C", "2026-03-31T11:00:00Z"));

        lake.land("crm/companies", D, "c.csv", "company_id,name,owner\nacc_A,Acme,Ana\nacc_B,Blue,Ben\n");
        lake.land("crm/end_users", D, "u.csv", "user_id,company_id\nu1,acc_A\nu2,acc_A\nu3,acc_B\n");
        lake.land("crm/licenses", D, "l.csv", String.join("\n",
                "license_id,company_id,product,amount,period,seats,start_date,end_date",
                "L1,acc_A,Analytics,12000,annual,10,2026-01-01,",              // 1000 a month
                "L2,acc_A,Reporting,500,monthly,5,2026-03-01,2026-03-31",     // active on its last day
                "L3,acc_A,Connect,6000,annual,20,2025-01-01,2026-03-30",      // ended the day before
                "L4,acc_B,Analytics,100,monthly,3,2026-04-01,",               // not started
                ""));
        lake.land("crm/nps_responses", D, "n.csv", String.join("\n",
                "response_id,user_id,company_id,score,responded_at",
                "n1,u1,,10,2026-03-01T10:00:00Z",
                "n2,u1,,3,2026-03-20T10:00:00Z",        // u1's latest: detractor
                "n3,u2,acc_A,9,2025-01-01T10:00:00Z",   // outside the 365 days
                "n4,u2,acc_A,8,2026-03-15T10:00:00Z",   // passive
                "n5,u3,,10,2026-03-30T10:00:00Z",       // promoter, acc_B through u3's account
                ""));
        lake.land("crm/conversations", D, "c.csv", String.join("\n",
                "conversation_id,company_id,type,created_at",
                "k1,acc_A,call,2026-03-02T10:00:00Z",   // first day of the 30
                "k2,acc_A,call,2026-03-01T10:00:00Z",   // the day before
                "k3,acc_A,call,2026-04-01T10:00:00Z",   // after D
                ""));
        lake.land("crm/invoices", D, "i.csv", String.join("\n",
                "invoice_id,company_id,amount,issued_at,due_date,status",
                "i1,acc_A,100,2026-03-01,2026-03-30,open",  // overdue
                "i2,acc_A,50,2026-03-01,2026-03-31,open",   // due today: open, not overdue
                "i3,acc_A,70,2026-02-01,2026-03-01,paid",
                ""));

        Cli result = Cli.run("run", "--as-of", D.toString(), "--config", config.toString());
        assertEquals(0, result.exitCode(), result.err());
        Map<String, Row> kpis = lake.table(AccountKpis.TABLE).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("account_id"), r -> r, (a, b) -> a, TreeMap::new));
        assertEquals(List.of("acc_A", "acc_B", "acc_C", "acc_Z"), List.copyOf(kpis.keySet()));

        Row a = kpis.get("acc_A");
        assertEquals("Acme", a.getAs("account_name"));
        assertEquals("Ana", a.getAs("owner"));
        assertEquals(2L, (long) a.getAs("users_total"));
        assertEquals(1L, (long) a.getAs("dau"));
        assertEquals(2L, (long) a.getAs("wau"));
        assertEquals(2L, (long) a.getAs("mau"));
        assertEquals(0.5, (double) a.getAs("stickiness"));
        assertEquals(2.0, (double) a.getAs("beats_total"));
        assertEquals(3.0, (double) a.getAs("experience_total"), "u1: Feb 10 and Mar 31; u2: Mar 26");
        assertEquals(1.0, (double) a.getAs("avg_beats_per_active_user"));
        assertEquals(1.0, (double) a.getAs("onboarding_completion_rate"));
        assertEquals(1500.0, (double) a.getAs("mrr"));
        assertEquals(18000.0, (double) a.getAs("arr"));
        assertEquals(15L, (long) a.getAs("seats"));
        assertEquals(2.0 / 15, (double) a.getAs("seat_utilization"), 1e-12);
        assertEquals(List.of("Analytics", "Reporting"), a.getList(a.fieldIndex("products")));
        assertEquals(-50.0, (double) a.getAs("nps"), "one detractor, one passive");
        assertEquals(2L, (long) a.getAs("nps_responses"));
        assertEquals(5.5, (double) a.getAs("nps_avg_score"));
        assertEquals(1L, (long) a.getAs("conversations_30d"));
        assertEquals(2L, (long) a.getAs("open_invoices"));
        assertEquals(1L, (long) a.getAs("overdue_invoices"));
        assertEquals(150.0, (double) a.getAs("open_invoice_amount"));
        assertNull(a.getAs("health_score"), "no health components configured");

        Row b = kpis.get("acc_B");
        assertEquals(1L, (long) b.getAs("users_total"));
        assertEquals(0L, (long) b.getAs("dau"));
        assertEquals(0L, (long) b.getAs("wau"));
        assertEquals(1L, (long) b.getAs("mau"));
        assertEquals(0.0, (double) b.getAs("stickiness"));
        assertNull(b.getAs("avg_beats_per_active_user"), "no user with beats");
        assertEquals(0.0, (double) b.getAs("mrr"));
        assertNull(b.getAs("seats"));
        assertNull(b.getAs("seat_utilization"));
        assertEquals(List.of(), b.getList(b.fieldIndex("products")));
        assertEquals(100.0, (double) b.getAs("nps"));
        assertEquals(0L, (long) b.getAs("open_invoices"));
        assertEquals(0.0, (double) b.getAs("open_invoice_amount"));

        Row c = kpis.get("acc_C");
        assertNull(c.getAs("account_name"), "seen only in events");
        assertEquals(1L, (long) c.getAs("users_total"));
        assertEquals(1.0, (double) c.getAs("stickiness"));

        Row z = kpis.get("acc_Z");
        assertEquals(0L, (long) z.getAs("users_total"), "named by an event of a user the CRM puts elsewhere");
        assertNull(z.getAs("stickiness"));
        assertNull(z.getAs("onboarding_completion_rate"));
        assertNull(z.getAs("nps"));
        assertEquals(0L, (long) z.getAs("nps_responses"));

        Contracts.assertContract(AccountKpis.TABLE, lake.table(AccountKpis.TABLE));
    }
}
