package io.beatline.ingest;

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
import io.beatline.testing.SampleEvents;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.sketch.BloomFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingestion of hand-made landings. The first landing (2026-03-10) holds 15 non-blank lines:
 * 5 accepted (e1, e8, e9, e10, e11), 2 duplicates (e1 again in the same file and in another
 * file) and 8 quarantined, one or two for each reason.
 */
class EventsIngestTest {

    static final LocalDate DAY1 = LocalDate.parse("2026-03-10");
    static final LocalDate DAY2 = LocalDate.parse("2026-03-11");

    static final String E1 = SampleEvents.E1;
    static final String E11 = SampleEvents.E11;

    @TempDir
    Path dir;
    TestLake lake;

    @BeforeEach
    void setUp() {
        lake = new TestLake(dir);
    }

    private void landDay1() {
        lake.landEvents(DAY1, "a.jsonl",
                E1,
                "{\"event_id\":\"e2\",\"event\":\"login\",\"user_id\":\"u1\"",                                   // malformed_json
                "{\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}",                  // missing_event_id
                "{\"event_id\":\"e4\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}",                  // missing_event
                "{\"event_id\":\"e5\",\"event\":\"login\",\"timestamp\":\"2026-03-10T09:00:00Z\"}",                 // missing_identity
                "{\"event_id\":\"e6\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"soon\"}",               // bad_timestamp
                "{\"event_id\":\"e7\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-12T00:00:00Z\"}", // future_timestamp
                "{\"event_id\":\"e8\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-11T23:59:59Z\"}", // last accepted second
                "{\"event_id\":\"e9\",\"event\":\"run_report\",\"user_id\":\"u2\",\"timestamp\":1773133200000}",     // epoch millis
                "{\"event_id\":\"e10\",\"event\":\"page_view\",\"anonymous_id\":\"anon1\",\"timestamp\":\"2026-03-10T23:30:00-02:00\"}",
                E1,                                                                                                // duplicate, same file
                "",
                "   ",
                "{\"event_id\":\"  \",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}", // blank id
                "[1,2]");                                                                                          // not an object
        lake.landEvents(DAY1, "b.jsonl.gz", E1, E11);                                                             // E1: duplicate, other file
    }

    private void landDay2() {
        lake.landEvents(DAY2, "c.jsonl",
                E11,                                                                                               // re-delivered next day
                "{\"event_id\":\"e12\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-09T08:00:00Z\"}"); // late event
    }

    private JobContext context(String... overrides) {
        String[] all = Arrays.copyOf(new String[] {"events.weights.run_report=3", "events.excluded=[page_view]"},
                2 + overrides.length);
        System.arraycopy(overrides, 0, all, 2, overrides.length);
        return lake.context(all);
    }

    private Map<String, Row> eventsById() {
        return lake.table(SilverEvents.TABLE).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("event_id"), r -> r, (a, b) -> {
                    throw new AssertionError("event_id twice: " + a);
                }, TreeMap::new));
    }

    private Map<String, Long> quarantineReasons() {
        Map<String, Long> reasons = new TreeMap<>();
        for (Row row : lake.table(EventsQuarantine.TABLE).groupBy("reason").count().collectAsList()) {
            reasons.put(row.getString(0), row.getLong(1));
        }
        return reasons;
    }

    private Row lastRun(String job) {
        return lake.table(PipelineRuns.TABLE).filter("job = '" + job + "'").orderBy(org.apache.spark.sql.functions.col("finished_at").desc())
                .first();
    }

    @Test
    void contestedIdsAreTheOnesDeliveredTwiceOrKnownAlreadyAndTheBloomFilterKeepsEveryKnownOne() {
        // the batch: a twice, b once, c once, d quarantined; earlier: c, d, x (x not in the batch)
        StructType parsedSchema = new StructType().add("event_id", "string").add("reason", "string");
        Dataset<Row> parsed = TestSpark.session().createDataFrame(List.of(RowFactory.create("a", null),
                RowFactory.create("a", null), RowFactory.create("b", null), RowFactory.create("c", null),
                RowFactory.create("d", "bad_timestamp")), parsedSchema);
        Dataset<Row> earlier = TestSpark.session().createDataFrame(List.of(RowFactory.create("c"), RowFactory.create("d"),
                RowFactory.create("x")), new StructType().add("event_id", "string"));
        // a: delivered twice, not known; c: known; b: once, new; d: not a valid row; x: not in the batch
        Map<String, Boolean> expected = Map.of("a", false, "c", true);
        assertEquals(expected, contested(EventTransforms.contestedIds(parsed, earlier)));

        BloomFilter ids = EventTransforms.bloomFilter(parsed.filter("reason is null"), "event_id", 3, 0.01);
        List<String> kept = EventTransforms.mightBeIn(earlier, "event_id", ids).collectAsList().stream()
                .map(row -> row.getString(0)).toList();
        assertTrue(kept.contains("c"), "a batch id is always kept: " + kept);
        assertEquals(expected, contested(EventTransforms.contestedIds(parsed, EventTransforms.mightBeIn(earlier, "event_id", ids))));
    }

    private static Map<String, Boolean> contested(Dataset<Row> rows) {
        return rows.collectAsList().stream().collect(Collectors.toMap(row -> row.getString(0), row -> row.getBoolean(1)));
    }

    @Test
    void eachLineIsAcceptedCountedAsDuplicateOrQuarantinedWithItsReason() {
        landDay1();
        JobResult result = new EventsIngestJob(context()).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));

        assertEquals(List.of("e1", "e10", "e11", "e8", "e9"), List.copyOf(eventsById().keySet()));
        assertEquals(Map.of("malformed_json", 2L, "missing_event_id", 2L, "missing_event", 1L,
                "missing_identity", 1L, "bad_timestamp", 1L, "future_timestamp", 1L), quarantineReasons());
        assertEquals(15, result.counts().read());
        assertEquals(5, result.counts().written());
        assertEquals(2, result.counts().duplicate());
        assertEquals(8, result.counts().quarantined());

        Contracts.assertContract(SilverEvents.TABLE, lake.table(SilverEvents.TABLE));
        Contracts.assertContract(EventsQuarantine.TABLE, lake.table(EventsQuarantine.TABLE));
        Row run = lastRun(EventsIngestJob.JOB);
        assertEquals("succeeded", run.getAs("status"));
        assertEquals(15L, (long) run.getAs("rows_read"));
        assertEquals((long) run.getAs("rows_read"), (long) run.getAs("rows_written") + (long) run.getAs("rows_duplicate")
                + (long) run.getAs("rows_quarantined"));
        Row quarantined = lake.table(EventsQuarantine.TABLE).filter("reason = 'bad_timestamp'").first();
        assertTrue(quarantined.<String>getAs("raw").contains("\"soon\""), "the original line is kept");
        assertTrue(quarantined.<String>getAs("source_file").endsWith("dt=2026-03-10/a.jsonl"));
    }

    @Test
    void timestampsBecomeDatesInTheConfiguredZoneWithWeightsAndExclusions() {
        landDay1();
        new EventsIngestJob(context()).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        Map<String, Row> events = eventsById();

        Row e9 = events.get("e9"); // epoch millis 1773133200000 = 2026-03-10T09:00:00Z
        assertEquals(Timestamp.from(Instant.parse("2026-03-10T09:00:00Z")), e9.getAs("ts"));
        assertEquals(3.0, (double) e9.getAs("weight"));
        assertTrue((boolean) e9.getAs("counted"));
        Row e10 = events.get("e10"); // 23:30 at -02:00 is 01:30 UTC the next day
        assertEquals(java.sql.Date.valueOf("2026-03-11"), e10.getAs("event_date"));
        assertEquals(1.0, (double) e10.getAs("weight"));
        assertFalse((boolean) e10.getAs("counted"), "page_view is excluded");
        assertNull(e10.getAs("user_id"));
        assertEquals("anon1", e10.getAs("anonymous_id"));
        assertEquals(java.sql.Date.valueOf("2026-03-11"), events.get("e8").getAs("event_date"));
        assertEquals(java.sql.Date.valueOf("2026-03-10"), events.get("e11").getAs("event_date"));
        assertEquals("a1", events.get("e1").getAs("account_id"));
        assertEquals(java.sql.Date.valueOf(DAY1), events.get("e1").getAs("landing_date"));
    }

    @Test
    void anotherTimeZoneMovesDatesAndTheFutureLimit() {
        landDay1();
        new EventsIngestJob(context("time-zone=America/Sao_Paulo")).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        Map<String, Row> events = eventsById();
        // 2026-03-11T01:30Z is 22:30 on the 10th in Sao Paulo (UTC-3)
        assertEquals(java.sql.Date.valueOf("2026-03-10"), events.get("e10").getAs("event_date"));
        // 2026-03-12T00:00Z is the 11th in Sao Paulo: no longer in the future of a 10th landing
        assertEquals(java.sql.Date.valueOf("2026-03-11"), events.get("e7").getAs("event_date"));
        assertFalse(quarantineReasons().containsKey("future_timestamp"));
    }

    @Test
    void aReDeliveryOnTheNextLandingDayIsADuplicateAndALateEventIsAccepted() {
        landDay1();
        landDay2();
        EventsIngestJob ingest = new EventsIngestJob(context());
        ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        JobResult day2 = ingest.ingest(List.of(DAY2), IngestOptions.landingDate(false, false));

        assertEquals(2, day2.counts().read());
        assertEquals(1, day2.counts().written());
        assertEquals(1, day2.counts().duplicate());
        Map<String, Row> events = eventsById();
        assertEquals(java.sql.Date.valueOf(DAY1), events.get("e11").getAs("landing_date"), "first landing wins");
        assertEquals(java.sql.Date.valueOf("2026-03-09"), events.get("e12").getAs("event_date"));
        assertEquals(java.sql.Date.valueOf(DAY2), events.get("e12").getAs("landing_date"));
    }

    /**
     * Issue 14, case 2: a landing date with nothing to accept (all re-deliveries, or all bad lines)
     * writes no silver row, and Delta makes no commit for that replace: the count must be 0, not
     * the previous commit's rows (before the fix: "counts do not reconcile for landing 2026-03-11: read 2 != written 5 + duplicates 2 + quarantined 0").
     */
    @Test
    void aLandingDateWithNothingToAcceptReconcilesWithNoRowWritten() {
        landDay1();
        lake.landEvents(DAY2, "c.jsonl", E1, E11);               // re-deliveries only
        lake.landEvents(LocalDate.parse("2026-03-12"), "d.jsonl", "not json", "{\"event\":\"login\"}"); // bad lines only
        EventsIngestJob ingest = new EventsIngestJob(context());
        ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));

        JobResult redelivered = ingest.ingest(List.of(DAY2), IngestOptions.landingDate(false, false));
        assertEquals(new RowCounts(2, 0, 2, 0), redelivered.counts());
        JobResult bad = ingest.ingest(List.of(LocalDate.parse("2026-03-12")), IngestOptions.landingDate(false, false));
        assertEquals(new RowCounts(2, 0, 0, 2), bad.counts());
        assertEquals(0, lake.table(SilverEvents.TABLE).filter("landing_date > DATE'2026-03-10'").count());
    }

    /**
     * Issue 14, case 1: a file in a subfolder of a dt= folder is part of that landing (before: never
     * read, counted or reported), and a folder that is not dt=YYYY-MM-DD is named in the run's report
     * and run-log row (before: one WARN line on stderr).
     */
    @Test
    void filesInSubfoldersAreReadAndFoldersThatAreNotLandingDatesAreReported() throws Exception {
        lake.landEvents(DAY1, "top.jsonl", E1);
        lake.landEvents(DAY1, "sub/nested.jsonl", E11,
                "{\"event_id\":\"n2\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}");
        lake.landEvents(DAY1, "_temporary/0/part.jsonl", E1);    // a writer's leftovers: not data
        Path bad = lake.raw.resolve("events/dt=2026-13-45/x.jsonl");
        Files.createDirectories(bad.getParent());
        Files.writeString(bad, E1 + "\n");

        JobResult result = new EventsIngestJob(context(), IngestOptions.catchUp(false)).run(DAY1);
        assertEquals(new RowCounts(3, 3, 0, 0), result.counts());
        assertTrue(result.message().endsWith("; not read under events: dt=2026-13-45 (not dt=YYYY-MM-DD folders)"),
                result.message());
        assertEquals(3, lake.table(SilverEvents.TABLE).count());
        assertTrue(lake.table(PipelineRuns.TABLE).filter("job = 'ingest-events'").first().<String>getAs("message")
                .contains("dt=2026-13-45"));
    }

    /**
     * Issue 14's doubtful outcomes, decided: a timestamp before 2000 (year 0001, a negative epoch,
     * epoch seconds read as millis: 1970) is quarantined as too_old_timestamp (before: accepted,
     * an event date of 0000-12-31 reached activity); an id of white space other than spaces is
     * empty (before: a tab was a user id).
     */
    @Test
    void ancientTimestampsAndWhiteSpaceIdsAreQuarantined() {
        lake.landEvents(DAY1, "a.jsonl",
                "{\"event_id\":\"o1\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"0001-01-01T00:00:00Z\"}",
                "{\"event_id\":\"o2\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":-86400000}",
                "{\"event_id\":\"o3\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":1773133200}",
                "{\"event_id\":\"o4\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2000-01-01T00:00:00Z\"}",
                "{\"event_id\":\"w1\",\"event\":\"login\",\"user_id\":\"\\t\",\"timestamp\":\"2026-03-10T09:00:00Z\"}",
                "{\"event_id\":\"\u00a0\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}");
        JobResult result = new EventsIngestJob(context()).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(new RowCounts(6, 1, 0, 5), result.counts());
        assertEquals(Map.of("too_old_timestamp", 3L, "missing_identity", 1L, "missing_event_id", 1L), quarantineReasons());
        assertEquals(List.of("o4"), List.copyOf(eventsById().keySet()), "2000-01-01 itself is accepted");
    }

    /**
     * Issue 14: a misspelt `raw` on a lake that has ingested before is a configuration error naming
     * the key (exit 2), not "wait and retry" (exit 3). On a lake that never ingested, a raw zone that
     * does not exist may be a new one nothing has landed in (an empty s3a prefix does not exist):
     * exit 3, and the message says to check `raw`.
     */
    @Test
    void aRawZoneThatDoesNotExistIsAConfigurationErrorOnceTheLakeHasIngested() {
        String missing = "raw=\"" + dir.resolve("no-such-raw") + "\"";
        BeatlineException fresh = assertThrows(BeatlineException.class, () -> new EventsIngestJob(context(missing)).run(DAY1));
        assertEquals(3, fresh.exitCode(), fresh.getMessage());
        assertTrue(fresh.getMessage().endsWith(dir.resolve("no-such-raw") + " does not exist yet: if it should, check `raw`."),
                fresh.getMessage());

        lake.landEvents(DAY1, "a.jsonl", E1);
        new EventsIngestJob(context()).run(DAY1);
        BeatlineException error = assertThrows(BeatlineException.class, () -> new EventsIngestJob(context(missing)).run(DAY2));
        assertEquals(2, error.exitCode(), error.getMessage());
        assertTrue(error.getMessage().contains("line ") && error.getMessage().contains("key 'raw': " + dir.resolve("no-such-raw")
                + " does not exist, though this lake has ingested from it before"), error.getMessage());
    }

    @Test
    void aCatchUpOfSeveralDatesGivesTheSameRowsAsOneDateAtATime() {
        landDay1();
        landDay2();
        JobResult both = new EventsIngestJob(context()).ingest(List.of(DAY2, DAY1), IngestOptions.landingDate(false, false));
        assertEquals(17, both.counts().read());
        assertEquals(6, both.counts().written());
        assertEquals(3, both.counts().duplicate());
        assertEquals(8, both.counts().quarantined());
        Map<String, Row> events = eventsById();
        assertEquals(6, events.size());
        assertEquals(java.sql.Date.valueOf(DAY1), events.get("e11").getAs("landing_date"));
        // what each landing's rows became, kept with its fingerprint
        assertEquals(Map.of(DAY1, new RowCounts(15, 5, 2, 8), DAY2, new RowCounts(2, 1, 1, 0)), countsByLanding());
    }

    private Map<LocalDate, RowCounts> countsByLanding() {
        return lake.table(IngestedBatches.TABLE).collectAsList().stream().collect(Collectors.toMap(
                row -> row.<java.sql.Date>getAs("landing_date").toLocalDate(), IngestedBatches::counts));
    }

    /**
     * Issue 14, case 3: a run killed after its last commit (the landing's fingerprint) and before its
     * run-log row left silver rows of a run the log did not know, and the rerun logged "nothing to do"
     * (the killed run's row is dropped here, which is what the kill left). The next run records it.
     */
    @Test
    void aRunKilledBeforeItsRunLogRowIsRecordedByTheNextRunWithItsCounts() {
        landDay1();
        JobContext context = context();
        new EventsIngestJob(context).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        String killedRun = lake.table(SilverEvents.TABLE).select("run_id").distinct().first().getString(0);
        io.delta.tables.DeltaTable.forPath(TestSpark.session(), lake.lake.resolve("meta/pipeline_runs").toString())
                .delete("job = 'ingest-events'");

        JobResult rerun = new EventsIngestJob(context).run(DAY1);
        assertTrue(rerun.message().contains("unchanged since ingested"), rerun.message());
        Row recorded = lake.table(PipelineRuns.TABLE).filter("status = 'interrupted'").first();
        assertEquals(killedRun, recorded.getAs("run_id"));
        assertEquals("ingest-events", recorded.getAs("job"));
        assertEquals(java.sql.Date.valueOf(DAY1), recorded.getAs("date"));
        assertEquals(List.of(15L, 5L, 2L, 8L), List.of(recorded.<Long>getAs("rows_read"), recorded.<Long>getAs("rows_written"),
                recorded.<Long>getAs("rows_duplicate"), recorded.<Long>getAs("rows_quarantined")));
        String message = recorded.getAs("message");
        assertTrue(message.startsWith("landing 2026-03-10: 15 rows read"), message);

        new EventsIngestJob(context).run(DAY1);
        assertEquals(1, lake.table(PipelineRuns.TABLE).filter("status = 'interrupted'").count(), "recorded once");
    }

    @Test
    void aRerunOfUnchangedFilesChangesNothingAndAForcedRerunGivesTheSameRows() {
        landDay1();
        EventsIngestJob ingest = new EventsIngestJob(context());
        ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        long events = lake.version(SilverEvents.TABLE);
        long quarantine = lake.version(EventsQuarantine.TABLE);
        List<Row> before = lake.table(SilverEvents.TABLE).drop("run_id").orderBy("event_id").collectAsList();

        JobResult again = ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(0, again.counts().read());
        assertTrue(again.message().contains("nothing to do"), again.message());
        assertEquals(events, lake.version(SilverEvents.TABLE), "no new commit");
        assertEquals(quarantine, lake.version(EventsQuarantine.TABLE));

        JobResult forced = ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, true));
        assertEquals(15, forced.counts().read());
        assertEquals(before, lake.table(SilverEvents.TABLE).drop("run_id").orderBy("event_id").collectAsList());
        assertEquals(8, lake.table(EventsQuarantine.TABLE).count());
    }

    @Test
    void aFileAddedToALandedFolderIsPickedUpWithoutDuplicates() {
        landDay1();
        EventsIngestJob ingest = new EventsIngestJob(context());
        ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        lake.landEvents(DAY1, "late-file.jsonl",
                "{\"event_id\":\"e20\",\"event\":\"login\",\"user_id\":\"u9\",\"timestamp\":\"2026-03-10T10:00:00Z\"}");
        JobResult result = ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(16, result.counts().read());
        assertEquals(6, eventsById().size());
        assertEquals(8, lake.table(EventsQuarantine.TABLE).count());
    }

    @Test
    void aSegmentStyleDumpLoadsWithAFieldMappingOnly() {
        lake.landEvents(DAY1, "segment.jsonl",
                "{\"messageId\":\"m1\",\"event\":\"login\",\"userId\":\"u1\",\"context\":{\"groupId\":\"g1\",\"ip\":\"1.2.3.4\"},"
                        + "\"timestamp\":\"2026-03-10T10:00:00.123Z\",\"properties\":{\"plan\":\"pro\",\"seats\":5,\"nested\":{\"a\":1}}}",
                "{\"messageId\":\"m2\",\"event\":\"signup\",\"anonymousId\":\"anon-9\",\"timestamp\":\"2026-03-10T11:00:00Z\"}",
                "{\"event_id\":\"x\",\"event\":\"login\",\"user_id\":\"u1\",\"timestamp\":\"2026-03-10T10:00:00Z\"}");
        JobResult result = new EventsIngestJob(lake.context(
                "input.events.fields.event_id=messageId",
                "input.events.fields.user_id=userId",
                "input.events.fields.anonymous_id=anonymousId",
                "input.events.fields.account_id=context.groupId"))
                .ingest(List.of(DAY1), IngestOptions.landingDate(false, false));

        assertEquals(2, result.counts().written());
        Map<String, Row> events = eventsById();
        Row m1 = events.get("m1");
        assertEquals("u1", m1.getAs("user_id"));
        assertEquals("g1", m1.getAs("account_id"));
        assertEquals(Timestamp.from(Instant.parse("2026-03-10T10:00:00.123Z")), m1.getAs("ts"));
        scala.collection.Map<String, String> properties = m1.getAs("properties");
        assertEquals("pro", properties.apply("plan"));
        assertEquals("5", properties.apply("seats"));
        assertEquals("{\"a\":1}", properties.apply("nested"));
        assertEquals("anon-9", events.get("m2").getAs("anonymous_id"));
        assertEquals(Map.of("missing_event_id", 1L), quarantineReasons());
    }

    @Test
    void parquetFilesAreReadWithTheSameRules() throws Exception {
        JobContext context = context();
        Path staging = dir.resolve("staging");
        TestSpark.session().sql("""
                SELECT * FROM VALUES
                  ('p1', 'login', 'u1', TIMESTAMP'2026-03-10 08:00:00Z', map('k', 'v')),
                  ('p2', CAST(NULL AS STRING), 'u1', TIMESTAMP'2026-03-10 09:00:00Z', CAST(NULL AS MAP<STRING,STRING>))
                  AS t(event_id, event, user_id, timestamp, properties)
                """).coalesce(1).write().parquet(staging.toString());
        Path part;
        try (var files = Files.list(staging)) {
            part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        lake.landBytes("events", DAY1, "export.parquet", Files.readAllBytes(part));
        JobResult result = new EventsIngestJob(context).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(2, result.counts().read());
        assertEquals(1, result.counts().written());
        assertEquals(Map.of("missing_event", 1L), quarantineReasons());
        Row p1 = eventsById().get("p1");
        assertEquals(Timestamp.from(Instant.parse("2026-03-10T08:00:00Z")), p1.getAs("ts"));
        assertEquals("v", p1.<scala.collection.Map<String, String>>getAs("properties").apply("k"));
    }

    /**
     * Issue 14, case 6: two Parquet exports of one landing date with a column typed differently
     * (before: the job failed naming neither file nor column, and --skip-corrupt-files did not get
     * past it). Each schema's files are read on their own, and every row is taken in.
     */
    @Test
    void parquetFilesWhoseSchemasDoNotMergeAreEachReadWithTheirOwn() throws Exception {
        lake.landBytes("events", DAY1, "a.parquet", parquet("a", """
                SELECT 'q1' event_id, 'login' event, 'u1' user_id, TIMESTAMP'2026-03-10 08:00:00Z' timestamp, 7 seq"""));
        lake.landBytes("events", DAY1, "b.parquet", parquet("b", """
                SELECT 'q2' event_id, 'login' event, 'u2' user_id, TIMESTAMP'2026-03-10 09:00:00Z' timestamp, 'x7' seq"""));
        JobResult result = new EventsIngestJob(context()).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(new RowCounts(2, 2, 0, 0), result.counts());
        assertEquals(List.of("q1", "q2"), List.copyOf(eventsById().keySet()));
    }

    /** The one Parquet file that {@code query} writes, as bytes. */
    private byte[] parquet(String name, String query) throws Exception {
        Path staging = dir.resolve("staging-" + name);
        TestSpark.session().sql(query).coalesce(1).write().parquet(staging.toString());
        try (var files = Files.list(staging)) {
            return Files.readAllBytes(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow());
        }
    }

    @Test
    void aCorruptFileFailsTheJobNamingItAndWritesNothing() {
        lake.landEvents(DAY1, "good.jsonl", E1);
        byte[] gz = TestLake.gzip((E11 + "\n" + E11.replace("e11", "e12") + "\n").repeat(50).getBytes());
        lake.landBytes("events", DAY1, "broken.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));

        EventsIngestJob ingest = new EventsIngestJob(context());
        BeatlineException error = assertThrows(BeatlineException.class, () -> ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false)));
        assertEquals(1, error.exitCode());
        assertTrue(error.getMessage().contains("broken.jsonl.gz"), error.getMessage());
        assertTrue(error.getMessage().contains("--skip-corrupt-files"), error.getMessage());
        assertFalse(Files.exists(lake.lake.resolve("silver/events")), "nothing committed");
        Row failed = lastRun(EventsIngestJob.JOB);
        assertEquals("failed", failed.getAs("status"));
        assertTrue(failed.<String>getAs("message").contains("broken.jsonl.gz"));

        JobResult skipped = ingest.ingest(List.of(DAY1), IngestOptions.landingDate(true, false));
        assertEquals(2, skipped.counts().read(), "one line plus the corrupt file");
        assertEquals(1, skipped.counts().written());
        assertEquals(1, skipped.counts().quarantined());
        Row quarantined = lake.table(EventsQuarantine.TABLE).first();
        assertEquals("corrupt_file", quarantined.getAs("reason"));
        assertTrue(quarantined.<String>getAs("source_file").endsWith("broken.jsonl.gz"));
    }

    @Test
    void aTruncatedParquetFileFailsTheJobOrIsQuarantined() {
        lake.landEvents(DAY1, "good.jsonl", E1);
        lake.landBytes("events", DAY1, "cut.parquet", "PAR1 not really parquet".getBytes());
        EventsIngestJob ingest = new EventsIngestJob(context());
        BeatlineException error = assertThrows(BeatlineException.class, () -> ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false)));
        assertEquals(1, error.exitCode());
        assertTrue(error.getMessage().startsWith("Cannot read file "), error.getMessage());
        assertTrue(error.getMessage().contains("cut.parquet"), error.getMessage());

        JobResult skipped = ingest.ingest(List.of(DAY1), IngestOptions.landingDate(true, false));
        assertEquals(1, skipped.counts().written());
        assertEquals(Map.of("corrupt_file", 1L), quarantineReasons());
    }

    @Test
    void aFileOfAnotherFormatIsQuarantinedNotIgnored() {
        lake.landEvents(DAY1, "good.jsonl", E1);
        lake.land("events", DAY1, "notes.csv", "a,b\n1,2\n");
        lake.land("events", DAY1, "_SUCCESS", "");
        JobResult result = new EventsIngestJob(context()).ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(2, result.counts().read());
        assertEquals(Map.of("unsupported_file", 1L), quarantineReasons());
    }

    @Test
    void aDateThatHasNotLandedIsInputMissing() {
        EventsIngestJob ingest = new EventsIngestJob(context());
        BeatlineException error = assertThrows(BeatlineException.class, () -> ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false)));
        assertEquals(3, error.exitCode());
        assertTrue(error.getMessage().contains("dt=2026-03-10"), error.getMessage());
        assertEquals("failed", lastRun(EventsIngestJob.JOB).getAs("status"));
    }

    @Test
    void pendingDatesAreTheLandedOnesNotYetIngested() {
        landDay1();
        landDay2();
        lake.land("events", LocalDate.parse("2026-03-12"), "d.jsonl", E1.replace("e1", "e30") + "\n");
        EventsIngestJob ingest = new EventsIngestJob(context());
        assertEquals(List.of(DAY1, DAY2), ingest.pendingDates(DAY2));
        ingest.ingest(List.of(DAY1), IngestOptions.landingDate(false, false));
        assertEquals(List.of(DAY2, LocalDate.parse("2026-03-12")), ingest.pendingDates(LocalDate.parse("2026-03-12")));
    }
}
