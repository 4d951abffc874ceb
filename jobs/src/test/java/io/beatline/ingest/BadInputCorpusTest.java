package io.beatline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmIngestJob;
import io.beatline.crm.CrmQuarantine;
import io.beatline.crm.CrmSnapshots;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus of issue 14: every kind of bad (and odd but valid) raw input found so
 * far, each on a landing date of its own, ingested one date at a time as daily deliveries come
 * (with --skip-corrupt-files, so unreadable files are recorded too). For every landing date the
 * outcome of every raw row is written down by hand below; the test checks that the run log, the
 * landing's row in meta/ingested_batches and the tables (silver rows, quarantine rows) agree with
 * it and with {@code read = accepted + duplicates + quarantined}, and that every quarantined row
 * has exactly the reason given. A new kind of bad input is a new case here.
 */
class BadInputCorpusTest {

    static final String ACCEPTED = "accepted";
    static final String DUPLICATE = "duplicate";

    @TempDir
    Path dir;

    /** One landing date of one source: what lands, and each raw row's outcome (a quarantine reason, or accepted / duplicate). */
    record Landing(String source, LocalDate date, String name, List<String> outcomes) {
    }

    private final List<Landing> landings = new ArrayList<>();
    /** Per source and date: the quarantined rows' raw text (or file name, for a whole file) and reason, as expected. */
    private final Map<String, Map<String, String>> quarantined = new TreeMap<>();

    private TestLake lake;
    private JobContext context;
    private LocalDate next = LocalDate.parse("2026-04-01");

    private static String event(String id, String extra) {
        return "{\"event_id\":\"" + id + "\",\"event\":\"login\",\"user_id\":\"u-" + id + "\",\"timestamp\":\"2026-04-01T09:00:00Z\"" + extra + "}";
    }

    private static String event(String id) {
        return event(id, "");
    }

    /** Lands {@code files} (name, bytes) as the next landing date of {@code source}. */
    private LocalDate land(String source, String name, Map<String, byte[]> files, List<String> outcomes,
                           Map<String, String> reasons) {
        LocalDate date = next;
        next = next.plusDays(1);
        if (files.isEmpty()) {
            try {
                Files.createDirectories(lake.raw.resolve(source).resolve("dt=" + date));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.forEach((file, bytes) -> lake.landBytes(source, date, file, bytes));
        landings.add(new Landing(source, date, name, outcomes));
        quarantined.put(source + " " + date, reasons);
        return date;
    }

    private static byte[] utf8(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] parquet(Path dir, String name, String query) {
        Path staging = dir.resolve("staging-" + name);
        TestSpark.session().sql(query).coalesce(1).write().parquet(staging.toString());
        try (var files = Files.list(staging)) {
            return Files.readAllBytes(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void eventCases() {
        String bom = "\uFEFF" + event("bom1");
        land("events", "a BOM and CRLF line ends", Map.of("bom.jsonl", (bom + "\r\n" + event("crlf1") + "\r\n").getBytes(StandardCharsets.UTF_8)),
                List.of(ACCEPTED, ACCEPTED), Map.of());

        byte[] latin1 = ("{\"event_id\":\"latin1\",\"event\":\"login\",\"user_id\":\"Jos\u00e9\",\"timestamp\":\"2026-04-02T09:00:00Z\"}\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        land("events", "bytes that are not UTF-8", Map.of("latin1.jsonl", latin1), List.of(ACCEPTED), Map.of());

        String big = event("big1", ",\"properties\":{\"blob\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}").replace("2026-04-01", "2026-04-03");
        land("events", "a 5 MB line", Map.of("big.jsonl", utf8(big)), List.of(ACCEPTED), Map.of());

        land("events", "arrays, bare strings and numbers, nested properties", Map.of("shapes.jsonl", utf8(
                        "[1,2]", "\"just a string\"", "42",
                        event("nested1", ",\"properties\":{\"a\":{\"b\":[1,2]}}").replace("2026-04-01", "2026-04-04"))),
                List.of("malformed_json", "malformed_json", "malformed_json", ACCEPTED),
                Map.of("[1,2]", "malformed_json", "\"just a string\"", "malformed_json", "42", "malformed_json"));

        String floatTs = "{\"event_id\":\"float1\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":1775379600000.5}";
        String year9999 = "{\"event_id\":\"y9999\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"9999-01-01T00:00:00Z\"}";
        String year1 = "{\"event_id\":\"y0001\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"0001-01-01T00:00:00Z\"}";
        String negative = "{\"event_id\":\"neg1\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":-86400000}";
        String seconds = "{\"event_id\":\"sec1\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":1775379600}";
        // epoch numbers are whole milliseconds: one with a fraction is not a timestamp
        land("events", "timestamps: a float, year 9999, year 1, negative epoch, epoch seconds", Map.of("ts.jsonl",
                        utf8(floatTs, year9999, year1, negative, seconds)),
                List.of("bad_timestamp", "future_timestamp", "too_old_timestamp", "too_old_timestamp", "too_old_timestamp"),
                Map.of(floatTs, "bad_timestamp", year9999, "future_timestamp", year1, "too_old_timestamp", negative, "too_old_timestamp",
                        seconds, "too_old_timestamp"));

        String numeric = "{\"event_id\":123,\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-04-06T09:00:00Z\"}";
        String text = "{\"event_id\":\"123\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-04-06T09:00:00Z\"}";
        String unicode = "{\"event_id\":\"uni1\",\"event\":\"r\u00e9sum\u00e9_\u2713\",\"user_id\":\"\u30e6\u30fc\u30b6\u30fc\",\"timestamp\":\"2026-04-06T09:00:00Z\"}";
        land("events", "a numeric and a string event_id, unicode names", Map.of("ids.jsonl", utf8(numeric, text, unicode)),
                List.of(ACCEPTED, DUPLICATE, ACCEPTED), Map.of());

        String tab = "{\"event_id\":\"ws1\",\"event\":\"login\",\"user_id\":\"\\t\",\"timestamp\":\"2026-04-07T09:00:00Z\"}";
        String nbsp = "{\"event_id\":\"\u00a0\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-04-07T09:00:00Z\"}";
        String zeroWidth = "{\"event_id\":\"ws3\",\"event\":\"\u200b\",\"user_id\":\"u1\",\"timestamp\":\"2026-04-07T09:00:00Z\"}";
        land("events", "ids of white space only", Map.of("ws.jsonl", utf8(tab, nbsp, zeroWidth)),
                List.of("missing_identity", "missing_event_id", "missing_event"),
                Map.of(tab, "missing_identity", nbsp, "missing_event_id", zeroWidth, "missing_event"));

        byte[] gz = TestLake.gzip(utf8(event("gz1").replace("2026-04-01", "2026-04-08"), event("gz2").replace("2026-04-01", "2026-04-08")));
        land("events", "gzip: empty, truncated, plain text named .gz, and a good one", new LinkedHashMap<>(Map.of(
                        "empty.jsonl.gz", new byte[0],
                        "cut.jsonl.gz", Arrays.copyOf(gz, gz.length / 2),
                        "plain.jsonl.gz", utf8(event("plain1")),
                        "good.jsonl.gz", gz)),
                List.of("corrupt_file", "corrupt_file", "corrupt_file", ACCEPTED, ACCEPTED),
                Map.of("empty.jsonl.gz", "corrupt_file", "cut.jsonl.gz", "corrupt_file", "plain.jsonl.gz", "corrupt_file"));

        land("events", "Parquet: an extra column, a missing column, a retyped column", Map.of(
                        "extra.parquet", parquet(dir, "extra", "SELECT 'pq1' event_id, 'login' event, 'u1' user_id,"
                                + " TIMESTAMP'2026-04-09 08:00:00Z' timestamp, 'x' extra_col"),
                        "missing.parquet", parquet(dir, "missing", "SELECT 'login' event, 'u1' user_id,"
                                + " TIMESTAMP'2026-04-09 08:00:00Z' timestamp"),
                        "retyped.parquet", parquet(dir, "retyped", "SELECT 7 event_id, 'login' event, 'u1' user_id,"
                                + " TIMESTAMP'2026-04-09 08:00:00Z' timestamp")),
                List.of(ACCEPTED, "missing_event_id", ACCEPTED), Map.of("missing.parquet", "missing_event_id"));

        land("events", "an empty dt= folder", Map.of(), List.of(), Map.of());

        land("events", "a file of another format, and one in a subfolder", new LinkedHashMap<>(Map.of(
                        "notes.csv", utf8("a,b"),
                        "sub/nested.jsonl", utf8(event("sub1").replace("2026-04-01", "2026-04-11")))),
                List.of("unsupported_file", ACCEPTED), Map.of("notes.csv", "unsupported_file"));

        land("events", "only re-deliveries of earlier landings", Map.of("again.jsonl", utf8(event("bom1"), event("crlf1"))),
                List.of(DUPLICATE, DUPLICATE), Map.of());
    }

    private void crmCases() {
        String companies = "crm/companies";
        String header = "company_id,name";
        land(companies, "CSV: a quoted newline, a duplicate key, a short row", Map.of("c.csv", utf8(header,
                        "acc1,\"Acme\nInc\"", "acc2,Blue", "acc2,Blue Two", "acc3")),
                List.of(ACCEPTED, "duplicate_key", ACCEPTED, "malformed_row"),
                Map.of("acc2,Blue", "duplicate_key", "acc3", "malformed_row"));
        land(companies, "CSV without the required column", Map.of("c.csv", utf8("name,industry", "Acme,tools")),
                List.of("missing_company_id"), Map.of("Acme,tools", "missing_company_id"));
        land(companies, "CSV with semicolons", Map.of("c.csv", utf8("company_id;name", "acc1;Acme")),
                List.of("missing_company_id"), Map.of("acc1;Acme", "missing_company_id"));
        land(companies, "an empty file and a header only", new LinkedHashMap<>(Map.of("empty.csv", new byte[0],
                "header.csv", utf8(header))), List.of(), Map.of());
        String badLine = "{\"company_id\":\"acc9\",";
        land(companies, "JSON lines with bad lines", Map.of("c.jsonl", utf8("{\"company_id\":\"acc8\",\"name\":\"Ok\"}", badLine, "[1]")),
                List.of(ACCEPTED, "malformed_row", "malformed_row"), Map.of(badLine, "malformed_row", "[1]", "malformed_row"));

        String licenses = "crm/licenses";
        String licenseHeader = "license_id,company_id,amount,seats,start_date";
        land(licenses, "licenses: wrong types, other date formats, NaN, Infinity, negatives", Map.of("l.csv", utf8(licenseHeader,
                        "l1,acc1,100,5,2026-01-01",
                        "l2,acc1,abc,5,2026-01-01",
                        "l3,acc1,100,five,2026-01-01",
                        "l4,acc1,100,5,01/02/2026",
                        "l5,acc1,NaN,5,2026-01-01",
                        "l6,acc1,Infinity,5,2026-01-01",
                        "l7,acc1,-1,5,2026-01-01",
                        "l8,acc1,100,-2,2026-01-01")),
                List.of(ACCEPTED, "bad_number_amount", "bad_number_seats", "bad_date_start_date", "bad_number_amount",
                        "bad_number_amount", "negative_amount", "negative_seats"),
                Map.of("l2,acc1,abc,5,2026-01-01", "bad_number_amount", "l3,acc1,100,five,2026-01-01", "bad_number_seats",
                        "l4,acc1,100,5,01/02/2026", "bad_date_start_date", "l5,acc1,NaN,5,2026-01-01", "bad_number_amount",
                        "l6,acc1,Infinity,5,2026-01-01", "bad_number_amount", "l7,acc1,-1,5,2026-01-01", "negative_amount",
                        "l8,acc1,100,-2,2026-01-01", "negative_seats"));
    }

    @Test
    void everyRawRowOfEveryLandingIsAcceptedCountedOrQuarantinedWithItsReason() {
        lake = new TestLake(dir);
        eventCases();
        crmCases();
        context = lake.context();
        Map<String, RowCounts> logged = new TreeMap<>();
        for (Landing landing : landings) {
            IngestOptions options = IngestOptions.landingDate(true, false);
            JobResult result = landing.source().equals(EventsIngestJob.SOURCE)
                    ? new EventsIngestJob(context).ingest(List.of(landing.date()), options)
                    : new CrmIngestJob(context).ingestDate(landing.date(), options);
            logged.put(landing.source() + " " + landing.date(), result.counts());
        }

        Map<String, RowCounts> batches = new TreeMap<>();
        for (Row row : lake.table(IngestedBatches.TABLE).collectAsList()) {
            batches.put(row.getAs("source") + " " + row.getAs("landing_date"), IngestedBatches.counts(row));
        }
        List<Row> runs = lake.table(PipelineRuns.TABLE).filter("job IN ('ingest-events', 'ingest-crm')")
                .orderBy("started_at").collectAsList();
        assertEquals(landings.size(), runs.size(), "one run-log row per landing");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < landings.size(); i++) {
            Landing landing = landings.get(i);
            String key = landing.source() + " " + landing.date();
            String what = key + " (" + landing.name() + ")";
            long accepted = landing.outcomes().stream().filter(ACCEPTED::equals).count();
            long duplicates = landing.outcomes().stream().filter(DUPLICATE::equals).count();
            RowCounts expected = new RowCounts(landing.outcomes().size(), accepted, duplicates,
                    landing.outcomes().size() - accepted - duplicates);
            RowCounts inRunLog = new RowCounts(runs.get(i).<Long>getAs("rows_read"), runs.get(i).<Long>getAs("rows_written"),
                    runs.get(i).<Long>getAs("rows_duplicate"), runs.get(i).<Long>getAs("rows_quarantined"));
            RowCounts inTables = new RowCounts(0, silverRows(landing), duplicates, quarantine(landing).size());
            check(mismatches, what + ": the job's counts", expected, logged.get(key));
            check(mismatches, what + ": the run log", expected, inRunLog);
            check(mismatches, what + ": meta/ingested_batches", expected, batches.getOrDefault(key, RowCounts.NONE));
            check(mismatches, what + ": rows in the silver and quarantine tables",
                    new RowCounts(0, expected.written(), duplicates, expected.quarantined()), inTables);
            check(mismatches, what + ": the reason of every quarantined row", quarantined.get(key), quarantine(landing));
        }
        assertEquals(List.of(), mismatches);
    }

    private static void check(List<String> mismatches, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            mismatches.add(what + ": expected " + expected + " but was " + actual);
        }
    }

    private long silverRows(Landing landing) {
        if (landing.source().equals(EventsIngestJob.SOURCE)) {
            return lake.table(SilverEvents.TABLE).filter("landing_date = DATE'" + landing.date() + "'").count();
        }
        CrmEntity entity = CrmEntity.named(landing.source().substring(CrmEntity.SOURCE_PREFIX.length()));
        Dataset<Row> asOf = CrmSnapshots.asOf(context.store(), entity, landing.date());
        if (landing.outcomes().contains(ACCEPTED)) {
            return asOf.count(); // the CRM as of the date is the snapshot's valid records
        }
        // a snapshot without one valid record leaves the CRM as the snapshot before it left it: 0 rows differ
        Dataset<Row> before = CrmSnapshots.asOf(context.store(), entity, landing.date().minusDays(1));
        return asOf.exceptAll(before).count() + before.exceptAll(asOf).count();
    }

    /** The landing's quarantined rows: raw text (or file name, when the whole file is the row) to reason. */
    private Map<String, String> quarantine(Landing landing) {
        boolean events = landing.source().equals(EventsIngestJob.SOURCE);
        List<Row> rows = events
                ? lake.table(EventsQuarantine.TABLE).filter("landing_date = DATE'" + landing.date() + "'").collectAsList()
                : lake.table(CrmQuarantine.TABLE).filter("snapshot_date = DATE'" + landing.date() + "'").collectAsList();
        Map<String, String> reasons = new TreeMap<>();
        for (Row row : rows) {
            String raw = row.getAs("raw");
            String file = row.<String>getAs("source_file");
            String key = raw == null || raw.startsWith("corrupt file") || isWholeFile(row, events)
                    ? file.substring(file.lastIndexOf('/') + 1) : raw;
            reasons.put(key, row.getAs("reason"));
        }
        return reasons;
    }

    /** A Parquet row is quarantined as JSON made from its columns; the corpus names it by its file. */
    private static boolean isWholeFile(Row row, boolean events) {
        return events && row.<String>getAs("source_file").endsWith(".parquet");
    }
}
