package io.beatline.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.TableSpec;
import io.beatline.crm.CrmIngestJob;
import io.beatline.engagement.UserEngagement;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership, changes, history and summary over four dates run out of order and rerun.
 * Segment {@code active} is beats >= 5, {@code quiet} is not in active. Beats by date:
 *
 * <pre>
 *       d1  d2  d3  d4
 * u1    10  10   0  10
 * u2     0  10  10  10
 * </pre>
 * so active is {u1}, {u1, u2}, {u2}, {u1, u2} and quiet {u2}, {}, {u1}, {}.
 */
class SegmentsJobIT {

    static final LocalDate D1 = LocalDate.parse("2026-04-01");
    static final LocalDate D2 = D1.plusDays(1);
    static final LocalDate D3 = D1.plusDays(2);
    static final LocalDate D4 = D1.plusDays(3);
    static final Map<LocalDate, int[]> BEATS = Map.of(D1, new int[] {10, 0}, D2, new int[] {10, 10},
            D3, new int[] {0, 10}, D4, new int[] {10, 10});
    static final String SEGMENTS = "segments = ["
            + "{ id = active, name = Active, entity = user, rule { field = beats, op = \">=\", value = 5 } },"
            + "{ id = quiet, entity = user, rule { not-in-segment = active } } ]";

    @TempDir
    Path dir;
    TestLake lake;
    JobContext context;

    @BeforeEach
    void engagement() {
        lake = new TestLake(dir);
        context = lake.context(SEGMENTS);
        lake.land("crm/end_users", D1, "u.csv", "user_id,company_id,email,name\nu1,acc,ann@acme.com,Ann\nu2,acc,bob@acme.com,Bob\n");
        new CrmIngestJob(context).catchUp(D4, IngestOptions.catchUp(false));
        for (LocalDate date : BEATS.keySet()) {
            int[] beats = BEATS.get(date);
            Dataset<Row> rows = TestSpark.session().sql("SELECT DATE'" + date + "' as_of_date, user_id, 'acc' account_id,"
                    + " CAST(beats AS DOUBLE) beats, 0D beats_previous, 0D beat_trend, CAST(NULL AS DOUBLE) beat_trend_pct,"
                    + " 0D experience, 0D experience_percentile, CAST(NULL AS DATE) first_seen_date,"
                    + " CAST(NULL AS DATE) last_seen_date, CAST(NULL AS INT) days_since_last_seen, days active_days_30d,"
                    + " 'returning' lifecycle, 0 onboarding_steps_done, false onboarding_completed, CAST(NULL AS INT) nps_score,"
                    + " CAST(NULL AS STRING) nps_category FROM VALUES ('u1', " + beats[0] + ", 4), ('u2', " + beats[1] + ", 2)"
                    + " AS t(user_id, beats, days)");
            context.store().replace(UserEngagement.TABLE, rows, "as_of_date = DATE'" + date + "'");
        }
    }

    List<String> rows(TableSpec table) {
        List<String> rows = new ArrayList<>();
        for (Row row : lake.table(table).collectAsList()) {
            rows.add(row.toString());
        }
        return new ArrayList<>(new TreeSet<>(rows));
    }

    List<String> changes() {
        return rows(SegmentChanges.TABLE);
    }

    @Test
    void historyAndChangesFollowTheSnapshotsWhateverTheRunOrder() {
        SegmentsJob job = new SegmentsJob(context);
        job.run(D1);
        job.run(D2);
        job.run(D4); // D3 skipped, as in a backfill with a hole
        assertEquals(List.of(
                "[2026-04-01,active,user,u1,entered]", "[2026-04-01,quiet,user,u2,entered]",
                "[2026-04-02,active,user,u2,entered]", "[2026-04-02,quiet,user,u2,exited]"), changes());
        assertEquals(List.of(
                "[active,user,u1,2026-04-01,null,true]", "[active,user,u2,2026-04-02,null,true]",
                "[quiet,user,u2,2026-04-01,2026-04-02,false]"), rows(SegmentHistory.TABLE));

        job.run(D3); // out of order: D4 is now compared with D3
        List<String> expectedChanges = List.of(
                "[2026-04-01,active,user,u1,entered]", "[2026-04-01,quiet,user,u2,entered]",
                "[2026-04-02,active,user,u2,entered]", "[2026-04-02,quiet,user,u2,exited]",
                "[2026-04-03,active,user,u1,exited]", "[2026-04-03,quiet,user,u1,entered]",
                "[2026-04-04,active,user,u1,entered]", "[2026-04-04,quiet,user,u1,exited]");
        List<String> expectedHistory = List.of(
                "[active,user,u1,2026-04-01,2026-04-03,false]", "[active,user,u1,2026-04-04,null,true]",
                "[active,user,u2,2026-04-02,null,true]",
                "[quiet,user,u1,2026-04-03,2026-04-04,false]", "[quiet,user,u2,2026-04-01,2026-04-02,false]");
        assertEquals(expectedChanges, changes());
        assertEquals(expectedHistory, rows(SegmentHistory.TABLE));
        assertEquals(List.of(
                "[2026-04-01,active,user,u1]", "[2026-04-01,quiet,user,u2]",
                "[2026-04-02,active,user,u1]", "[2026-04-02,active,user,u2]",
                "[2026-04-03,active,user,u2]", "[2026-04-03,quiet,user,u1]",
                "[2026-04-04,active,user,u1]", "[2026-04-04,active,user,u2]"), rows(SegmentMembership.TABLE));
        // D4's summary got D4's new changes: active 2 of 2 users, beats 10 and 10, active days 4 and 2
        assertTrue(rows(SegmentSummary.TABLE).contains("[2026-04-04,active,user,2,2,100.0,1,0,10.0,3.0]"),
                rows(SegmentSummary.TABLE).toString());
        assertTrue(rows(SegmentSummary.TABLE).contains("[2026-04-04,quiet,user,0,2,0.0,0,1,null,null]"));

        // reruns change nothing
        List<String> summary = rows(SegmentSummary.TABLE);
        job.run(D2);
        job.run(D4);
        assertEquals(expectedChanges, changes());
        assertEquals(expectedHistory, rows(SegmentHistory.TABLE));
        assertEquals(summary, rows(SegmentSummary.TABLE));
        for (TableSpec table : List.of(SegmentMembership.TABLE, SegmentChanges.TABLE, SegmentHistory.TABLE,
                SegmentSummary.TABLE, SegmentDefinitions.TABLE)) {
            Contracts.assertContract(table, lake.table(table));
        }
    }

    @Test
    void definitionsKeepFirstSeenAndDateTheLastRuleChange() {
        new SegmentsJob(context).run(D1);
        new SegmentsJob(context).run(D2);
        List<String> before = rows(SegmentDefinitions.TABLE);
        assertEquals(2, before.size());
        assertTrue(before.get(0).startsWith("[active,Active,,user,{\"field\":\"beats\",\"op\":\">=\",\"value\":5},"), before.get(0));
        assertTrue(before.get(0).endsWith(",2026-04-01,2026-04-01]"), before.get(0));

        JobContext changed = lake.context(SEGMENTS.replace("value = 5", "value = 8"));
        new SegmentsJob(changed).run(D3);
        List<String> after = rows(SegmentDefinitions.TABLE);
        assertTrue(after.get(0).contains("\"value\":8}"), after.get(0));
        assertTrue(after.get(0).endsWith(",2026-04-01,2026-04-03]"), "first seen kept, last changed on D3: " + after.get(0));
        assertTrue(after.get(1).endsWith(",2026-04-01,2026-04-01]"), "quiet's rule is unchanged: " + after.get(1));
    }

    @Test
    void exportWritesMembersAndChangesInEachFormat() throws Exception {
        SegmentsJob job = new SegmentsJob(context);
        job.run(D1);
        job.run(D2);
        SegmentExportJob export = new SegmentExportJob(context);

        Path csv = dir.resolve("out/active-csv");
        export.export("active", java.util.Optional.empty(), false, SegmentExportJob.Format.CSV, csv.toString());
        Path part = Files.list(csv).filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(part);
        assertEquals(3, lines.size(), "header and two members in one file: " + lines);
        assertTrue(lines.get(0).startsWith("segment_id,as_of_date,user_id,email,name,role,title,account_id,account_name,beats,"),
                lines.get(0));
        assertTrue(lines.contains("active,2026-04-02,u2,bob@acme.com,Bob,,,acc,,10.0,0.0,0.0,2,,,returning,false,,"), lines.toString());

        Path json = dir.resolve("out/active-changes-json");
        export.export("active", java.util.Optional.of(D2), true, SegmentExportJob.Format.JSON, json.toString());
        List<Row> changes = TestSpark.session().read().json(json.toString()).collectAsList();
        assertEquals(1, changes.size());
        assertEquals("entered", changes.get(0).getAs("change"));
        assertEquals("u2", changes.get(0).getAs("user_id"));

        Path parquet = dir.resolve("out/quiet-parquet");
        Cli result = Cli.run(cli("export-segment", "--segment", "quiet", "--as-of", D1.toString(), "--format", "parquet",
                "--out", parquet.toString()));
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("1 members of quiet"), result.out());
        assertEquals("u2", TestSpark.session().read().parquet(parquet.toString()).first().getAs("user_id"));

        Cli unknown = Cli.run(cli("export-segment", "--segment", "nobody", "--format", "csv", "--out", csv.toString()));
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("No segment 'nobody'. Segments: active, quiet."), unknown.err());
        Cli notRun = Cli.run(cli("export-segment", "--segment", "active", "--as-of", D4.toString(), "--format", "csv",
                "--out", csv.toString()));
        assertEquals(3, notRun.exitCode());
        assertTrue(notRun.err().contains("has no snapshot for 2026-04-04"), notRun.err());
    }

    String[] cli(String... args) {
        return lake.cliArgs(List.of(args), SEGMENTS);
    }
}
