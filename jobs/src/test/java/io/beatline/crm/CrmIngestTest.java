package io.beatline.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.core.BeatlineException;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.testing.Contracts;
import io.beatline.testing.TestLake;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrmIngestTest {

    static final LocalDate DAY1 = LocalDate.parse("2026-03-01");
    static final LocalDate DAY2 = LocalDate.parse("2026-03-08");

    @TempDir
    Path dir;
    TestLake lake;
    JobContext context;

    @BeforeEach
    void setUp() {
        lake = new TestLake(dir);
        context = lake.context("crm.custom-fields.companies.employees=long",
                "crm.custom-fields.companies.renewal_date=date",
                "crm.custom-fields.companies.vip=boolean");
    }

    private Map<String, Long> quarantine() {
        Map<String, Long> reasons = new TreeMap<>();
        for (Row row : lake.table(CrmQuarantine.TABLE).groupBy("entity", "reason").count().collectAsList()) {
            reasons.put(row.getString(0) + ":" + row.getString(1), row.getLong(2));
        }
        return reasons;
    }

    private Map<String, Row> companies(LocalDate snapshot) {
        return CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, snapshot).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("company_id"), r -> r, (a, b) -> a, TreeMap::new));
    }

    @Test
    void typesColumnsKeepsCustomFieldsAndQuarantinesBadRows() {
        lake.land("crm/companies", DAY1, "companies.csv", String.join("\n",
                "Company ID,Name,owner,industry,country,city,tags,created_at,Employees,renewal_date,vip,Segment Notes",
                "acc1,\"Acme, Inc.\",Ana,Software,DE,Berlin,strategic; beta ;,2024-01-15,250,2026-12-31,yes,\"said \"\"hi\"\"\"",
                "acc2,Blue,Ben,Retail,FR,Paris,,2024-02-01T10:00:00Z,,,,\"two",
                "lines\"",
                ",No Id,,,,,,,,,,",
                "acc3,Bad Count,,,,,,,many,,,",
                "acc4,Bad Date,,,,,,,,31/12/2026,,",
                "acc5,Short Row",
                "acc2,Blue Again,Ben,Retail,FR,Paris,,2024-02-01,10,,no,",
                ""));
        lake.land("crm/licenses", DAY1, "licenses.jsonl", String.join("\n",
                "{\"license_id\":\"L1\",\"company_id\":\"acc1\",\"product\":\"Analytics\",\"amount\":1200,\"seats\":10.0,\"start_date\":\"2026-01-01\"}",
                "{\"license_id\":\"L2\",\"company_id\":\"acc1\",\"amount\":\"lots\",\"start_date\":\"2026-01-01\"}",
                "{\"license_id\":\"L3\",\"company_id\":\"acc2\",\"amount\":99.5,\"period\":\"Monthly\",\"start_date\":\"2026-01-01\"}",
                "{\"license_id\":\"L4\",\"company_id\":\"acc2\",\"amount\":10,\"period\":\"weekly\",\"start_date\":\"2026-01-01\"}",
                "{\"license_id\":\"L5\",\"company_id\":\"acc2\",\"amount\":\"NaN\",\"start_date\":\"2026-01-01\"}",
                "{\"license_id\":\"L6\",\"company_id\":\"acc2\",\"amount\":\"-Infinity\",\"start_date\":\"2026-01-01\"}",
                "[\"not an object\"]"));
        lake.land("crm/nps_responses", DAY1, "nps.csv",
                "response_id,user_id,company_id,score,responded_at\nn1,u1,acc1,11,2026-02-01T10:00:00Z\nn2,u1,acc1,7,2026-02-02T10:00Z\n");
        lake.land("crm/invoices", DAY1, "notes.txt", "not a CRM file");

        JobResult result = new CrmIngestJob(context).ingestDate(DAY1, IngestOptions.landingDate(false, false));

        Map<String, Row> companies = companies(DAY1);
        assertEquals(List.of("acc1", "acc2"), List.copyOf(companies.keySet()));
        Row acme = companies.get("acc1");
        assertEquals("Acme, Inc.", acme.getAs("name"));
        assertEquals(List.of("strategic", "beta"), acme.getList(acme.fieldIndex("tags")));
        assertEquals(Date.valueOf("2024-01-15"), acme.getAs("created_at"));
        assertEquals(250L, (long) acme.getAs("employees"), "custom field typed by crm.custom-fields");
        assertEquals(Date.valueOf("2026-12-31"), acme.getAs("renewal_date"));
        assertEquals(true, acme.getAs("vip"));
        assertEquals("said \"hi\"", acme.getAs("segment_notes"), "untyped custom field: string, header snake_cased");
        Row blue = companies.get("acc2");
        assertEquals("Blue Again", blue.getAs("name"), "a duplicated key keeps the last row");
        assertEquals(Date.valueOf("2024-02-01"), blue.getAs("created_at"));
        assertEquals(false, blue.getAs("vip"));

        Map<String, Row> licenses = lake.table(CrmEntity.LICENSES.table).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("license_id"), r -> r));
        assertEquals(1200.0, (double) licenses.get("L1").getAs("amount"));
        assertEquals(10L, (long) licenses.get("L1").getAs("seats"));
        assertEquals("annual", licenses.get("L1").getAs("period"), "annual when empty");
        assertEquals("monthly", licenses.get("L3").getAs("period"));
        Row response = lake.table(CrmEntity.NPS_RESPONSES.table).first();
        assertEquals("n2", response.getAs("response_id"));
        assertEquals(Timestamp.from(Instant.parse("2026-02-02T10:00:00Z")), response.getAs("responded_at"), "seconds may be left out");

        assertEquals(Map.of(
                "companies:missing_company_id", 1L,
                "companies:bad_number_employees", 1L,
                "companies:bad_date_renewal_date", 1L,
                "companies:malformed_row", 1L,
                "companies:duplicate_key", 1L,
                "licenses:bad_number_amount", 3L, // "lots", and NaN and -Infinity: a number must be finite
                "licenses:bad_value_period", 1L,
                "licenses:malformed_row", 1L,
                "nps_responses:bad_value_score", 1L,
                "invoices:unsupported_file", 1L), quarantine());
        Row duplicate = lake.table(CrmQuarantine.TABLE).filter("reason = 'duplicate_key'").first();
        assertEquals("acc2,Blue,Ben,Retail,FR,Paris,,2024-02-01T10:00:00Z,,,,\"two\nlines\"", duplicate.getAs("raw"),
                "the original record, line break included");

        Map<String, Row> runs = lake.table(PipelineRuns.TABLE).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("job"), r -> r));
        assertTrue(runs.keySet().containsAll(List.of("ingest-crm", "ingest-crm:companies", "ingest-crm:licenses",
                "ingest-crm:nps_responses", "ingest-crm:invoices")), runs.keySet().toString());
        Row companiesRun = runs.get("ingest-crm:companies");
        assertEquals(7L, (long) companiesRun.getAs("rows_read"));
        assertEquals(2L, (long) companiesRun.getAs("rows_written"));
        assertEquals(5L, (long) companiesRun.getAs("rows_quarantined"));
        assertEquals(result.counts().read(), result.counts().written() + result.counts().quarantined());
        Contracts.assertContract(CrmEntity.COMPANIES.table, lake.table(CrmEntity.COMPANIES.table));
        Contracts.assertContract(CrmQuarantine.TABLE, lake.table(CrmQuarantine.TABLE));
    }

    @Test
    void aNewCustomColumnIsAddedWithoutBreakingOlderSnapshotsAndAsOfPicksTheLatest() {
        lake.land("crm/companies", DAY1, "c.csv", "company_id,name\nacc1,Acme\n");
        lake.land("crm/companies", DAY2, "c.csv", "company_id,name,tier\nacc1,Acme Corp,gold\nacc2,Blue,silver\n");
        CrmIngestJob ingest = new CrmIngestJob(context);
        ingest.ingestDate(DAY1, IngestOptions.landingDate(false, false));
        ingest.ingestDate(DAY2, IngestOptions.landingDate(false, false));

        assertNull(companies(DAY1).get("acc1").getAs("tier"), "older snapshot: the new column is empty");
        assertEquals("gold", companies(DAY2).get("acc1").getAs("tier"));

        assertEquals(List.of(), CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, LocalDate.parse("2026-02-28")).collectAsList());
        assertEquals("Acme", CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, LocalDate.parse("2026-03-07")).first().getAs("name"));
        assertEquals(2, CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, DAY2).count());
        assertEquals(2, CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, LocalDate.parse("2027-01-01")).count());
    }

    /**
     * Issue 14, case 5: a license's amount and seats are zero or more (a negative amount was kept
     * and summed into mrr); an invoice's amount may be negative (a credit note).
     */
    @Test
    void aNegativeLicenseAmountOrSeatCountIsQuarantinedAndACreditNoteIsKept() {
        lake.land("crm/licenses", DAY1, "l.csv", String.join("\n",
                "license_id,company_id,amount,seats,start_date",
                "L1,acc1,0,0,2026-01-01",
                "L2,acc1,-100,5,2026-01-01",
                "L3,acc1,100,-1,2026-01-01",
                "L4,acc1,100,,2026-01-01", ""));
        lake.land("crm/invoices", DAY1, "i.csv", "invoice_id,company_id,amount,status\nI1,acc1,-50,open\n");
        new CrmIngestJob(context).ingestDate(DAY1, IngestOptions.landingDate(false, false));
        assertEquals(Map.of("licenses:negative_amount", 1L, "licenses:negative_seats", 1L), quarantine());
        assertEquals(List.of("L1", "L4"), lake.table(CrmEntity.LICENSES.table).orderBy("license_id").collectAsList().stream()
                .map(row -> row.<String>getAs("license_id")).toList());
        assertEquals(-50.0, (double) lake.table(CrmEntity.INVOICES.table).first().getAs("amount"));
    }

    @Test
    void anUnchangedSnapshotIsNotIngestedTwice() {
        lake.land("crm/companies", DAY1, "c.csv", "company_id,name\nacc1,Acme\n");
        CrmIngestJob ingest = new CrmIngestJob(context);
        ingest.ingestDate(DAY1, IngestOptions.landingDate(false, false));
        long version = lake.version(CrmEntity.COMPANIES.table);
        JobResult again = ingest.ingestDate(DAY1, IngestOptions.landingDate(false, false));
        assertTrue(again.message().contains("nothing to do"), again.message());
        assertEquals(version, lake.version(CrmEntity.COMPANIES.table));
    }

    /**
     * Entities are read a few at once, and every one is read before any is written: a corrupt
     * file of the last entity (invoices) fails the stage with nothing written, not even the
     * companies read beside it.
     */
    @Test
    void aCorruptFileOfAnyEntityFailsTheStageBeforeAnyTableIsWritten() {
        lake.land("crm/companies", DAY1, "c.csv", "company_id,name\nacc1,Acme\n");
        lake.land("crm/end_users", DAY1, "u.csv", "user_id,company_id\nu1,acc1\n");
        Path bad = lake.landBytes("crm/invoices", DAY1, "i.csv.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        CrmIngestJob ingest = new CrmIngestJob(context);
        BeatlineException error = assertThrows(
                BeatlineException.class, () -> ingest.ingestDate(DAY1, IngestOptions.landingDate(false, false)));
        assertTrue(error.getMessage().contains(bad.getFileName().toString()) && error.getMessage().contains("nothing was written"),
                error.getMessage());
        for (CrmEntity entity : CrmEntity.values()) {
            assertFalse(context.store().exists(entity.table), entity + " was written");
        }
        assertFalse(context.store().exists(CrmQuarantine.TABLE));

        // with --skip-corrupt-files the file is a quarantine row and the others are kept
        ingest.ingestDate(DAY1, IngestOptions.landingDate(true, false));
        assertEquals(Map.of("invoices:corrupt_file", 1L), quarantine());
        assertEquals(List.of("acc1"), List.copyOf(companies(DAY1).keySet()));
    }

    /**
     * Issue 14, case 3, for CRM: a run killed after its snapshots' rows in meta/ingested_batches and
     * before its run-log rows is recorded by the next CRM run, per entity, with each snapshot's counts.
     */
    @Test
    void aRunKilledBeforeItsRunLogRowsIsRecordedByTheNextRunPerEntity() {
        lake.land("crm/companies", DAY1, "c.csv", "company_id,name\nacc1,Acme\n,No id\n");
        lake.land("crm/companies", DAY2, "c.csv", "company_id,name\nacc1,Acme\nacc2,Blue\n,No id either\n");
        lake.land("crm/licenses", DAY1, "l.csv", "license_id,company_id,amount,seats,start_date\nl1,acc1,100,5,2026-01-01\n");
        CrmIngestJob ingest = new CrmIngestJob(context);
        JobResult first = ingest.catchUp(DAY2, IngestOptions.catchUp(false));
        // a reason seen in two snapshots of one run counts twice (the kill test found it counted once)
        assertEquals(new RowCounts(6, 4, 0, 2), first.counts());
        io.delta.tables.DeltaTable.forPath(io.beatline.testing.TestSpark.session(), lake.lake.resolve("meta/pipeline_runs").toString())
                .delete("job LIKE 'ingest-crm%'");

        ingest.catchUp(DAY2, IngestOptions.catchUp(false));
        Map<String, List<Long>> recorded = new TreeMap<>();
        for (Row row : lake.table(PipelineRuns.TABLE).filter("status = 'interrupted'").collectAsList()) {
            recorded.put(row.getAs("job"), List.of(row.<Long>getAs("rows_read"), row.<Long>getAs("rows_written"),
                    row.<Long>getAs("rows_quarantined")));
        }
        assertEquals(Map.of("ingest-crm", List.of(6L, 4L, 2L), "ingest-crm:companies", List.of(5L, 3L, 2L),
                "ingest-crm:licenses", List.of(1L, 1L, 0L)), recorded);
        Map<String, Long> bySnapshot = new TreeMap<>();
        for (Row row : lake.table(io.beatline.ingest.IngestedBatches.TABLE).collectAsList()) {
            bySnapshot.put(row.getAs("source") + " " + row.getAs("landing_date"), row.<Long>getAs("rows_quarantined"));
        }
        assertEquals(Map.of("crm/companies 2026-03-01", 1L, "crm/companies 2026-03-08", 1L, "crm/licenses 2026-03-01", 0L),
                bySnapshot);
    }

    /**
     * SPEC 3.1: CRM versions as intervals. Companies (company_id, name) land as these snapshots,
     * 03-04 after the others:
     * <pre>
     *   03-01  a1 Acme       a2 Blue     a3 Cyan
     *   03-03  a1 Acme       a2 Blue Co                   (a2 changed, a3 vanished)
     *   03-05  a1 Acme       a2 Blue Co  a3 Cyan  a4 Dune (a3 came back, a4 is new)
     *   03-07  the same as 03-05                          (writes nothing)
     *   03-04  a1 Acme Corp  a2 Blue Co  a3 Cyan          (out of order: only 03-04 changes)
     * </pre>
     * Versions: a1 Acme [03-01, 03-04), Acme Corp [03-04, 03-05), Acme [03-05, -); a2 Blue
     * [03-01, 03-03), Blue Co [03-03, -); a3 Cyan [03-01, 03-03), Cyan [03-04, -) (its 03-04
     * and 03-05 pieces are one version); a4 Dune [03-05, -). The CRM as of every day from 02-28 to
     * 03-08 is the latest snapshot on or before it, and rerunning a snapshot changes nothing.
     */
    @Test
    void versionsAreIntervalsAndTheCrmAsOfEachDayIsItsLatestSnapshot() {
        Map<LocalDate, String> snapshots = new TreeMap<>(Map.of(
                LocalDate.parse("2026-03-01"), "a1,Acme\na2,Blue\na3,Cyan\n",
                LocalDate.parse("2026-03-03"), "a1,Acme\na2,Blue Co\n",
                LocalDate.parse("2026-03-05"), "a1,Acme\na2,Blue Co\na3,Cyan\na4,Dune\n",
                LocalDate.parse("2026-03-07"), "a1,Acme\na2,Blue Co\na3,Cyan\na4,Dune\n"));
        LocalDate late = LocalDate.parse("2026-03-04");
        for (Map.Entry<LocalDate, String> snapshot : snapshots.entrySet()) {
            lake.land("crm/companies", snapshot.getKey(), "c.csv", "company_id,name\n" + snapshot.getValue());
        }
        CrmIngestJob ingest = new CrmIngestJob(context);
        ingest.catchUp(LocalDate.parse("2026-03-05"), IngestOptions.catchUp(false)); // three snapshots in one run
        long version = lake.version(CrmEntity.COMPANIES.table);
        JobResult unchanged = ingest.ingestDate(LocalDate.parse("2026-03-07"), IngestOptions.landingDate(false, false));
        assertTrue(unchanged.message().contains("no record changed"), unchanged.message());
        assertEquals(version, lake.version(CrmEntity.COMPANIES.table), "a snapshot equal to the current state writes nothing");

        lake.land("crm/companies", late, "c.csv", "company_id,name\na1,Acme Corp\na2,Blue Co\na3,Cyan\n");
        snapshots.put(late, "a1,Acme Corp\na2,Blue Co\na3,Cyan\n");
        ingest.ingestDate(late, IngestOptions.landingDate(false, false));

        assertEquals(List.of(
                "a1 Acme 2026-03-01 2026-03-04", "a1 Acme 2026-03-05 null", "a1 Acme Corp 2026-03-04 2026-03-05",
                "a2 Blue 2026-03-01 2026-03-03", "a2 Blue Co 2026-03-03 null",
                "a3 Cyan 2026-03-01 2026-03-03", "a3 Cyan 2026-03-04 null",
                "a4 Dune 2026-03-05 null"), versions());
        Row cyan = lake.table(CrmEntity.COMPANIES.table).filter("company_id = 'a3' AND valid_to IS NULL").first();
        assertTrue(cyan.<String>getAs("source_file").contains("dt=2026-03-04"), "a version keeps the file it first came from");
        for (LocalDate day = LocalDate.parse("2026-02-28"); !day.isAfter(LocalDate.parse("2026-03-08")); day = day.plusDays(1)) {
            Map.Entry<LocalDate, String> latest = ((TreeMap<LocalDate, String>) snapshots).floorEntry(day);
            List<String> expected = latest == null ? List.of()
                    : latest.getValue().lines().map(line -> line.replace(',', ' ')).sorted().toList();
            List<String> asOf = CrmSnapshots.asOf(context.store(), CrmEntity.COMPANIES, day).collectAsList().stream()
                    .map(row -> row.getAs("company_id") + " " + row.getAs("name")).sorted().toList();
            assertEquals(expected, asOf, "the CRM as of " + day);
        }

        long before = lake.version(CrmEntity.COMPANIES.table);
        ingest.ingestDate(late, IngestOptions.landingDate(false, true)); // forced rerun of the same files
        ingest.ingestDate(LocalDate.parse("2026-03-03"), IngestOptions.landingDate(false, true));
        assertEquals(before, lake.version(CrmEntity.COMPANIES.table), "rerunning a snapshot changes nothing");
        Contracts.assertContract(CrmEntity.COMPANIES.table, lake.table(CrmEntity.COMPANIES.table));
    }

    /**
     * A lake written before versions (every snapshot whole, partitioned by snapshot_date) is
     * rewritten as versions by the next CRM ingestion, its snapshots and the new one together.
     */
    @Test
    void aTableOfWholeSnapshotsFromAnOlderBeatlineBecomesVersions() {
        String path = lake.lake.resolve("silver/companies").toString();
        io.beatline.testing.TestSpark.session().sql("SELECT * FROM VALUES"
                        + " ('a1', 'Acme', DATE'2026-03-01', 'old.csv', 'r0'), ('a2', 'Blue', DATE'2026-03-01', 'old.csv', 'r0'),"
                        + " ('a1', 'Acme', DATE'2026-03-02', 'old.csv', 'r0')"
                        + " AS t(company_id, name, snapshot_date, source_file, run_id)")
                .write().format("delta").partitionBy("snapshot_date").save(path);
        lake.land("crm/companies", LocalDate.parse("2026-03-03"), "c.csv", "company_id,name\na1,Acme\na2,Blue\n");
        JobResult result = new CrmIngestJob(context).ingestDate(LocalDate.parse("2026-03-03"), IngestOptions.landingDate(false, false));
        assertTrue(result.message().contains("rewritten from 2 whole snapshots to 2 versions; companies 1 snapshot, 2 records: 2 kept, 0 quarantined; 1 new versions, 0 ended or replaced"), result.message());
        assertEquals(List.of("a1 Acme 2026-03-01 null", "a2 Blue 2026-03-01 2026-03-02", "a2 Blue 2026-03-03 null"), versions());
        Contracts.assertContract(CrmEntity.COMPANIES.table, lake.table(CrmEntity.COMPANIES.table));
    }

    /** Every version of silver/companies as "id name valid_from valid_to", sorted. */
    private List<String> versions() {
        return lake.table(CrmEntity.COMPANIES.table).collectAsList().stream()
                .map(row -> row.getAs("company_id") + " " + row.getAs("name") + " " + row.getAs("valid_from") + " "
                        + row.getAs("valid_to"))
                .sorted().toList();
    }
}
