package io.beatline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

import io.beatline.core.BeatlineException;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.SqlPredicates;
import io.beatline.core.Stage;
import io.beatline.core.TableSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job {@code ingest-events}: the event files that landed on one or more dates (SPEC 2.1) into
 * {@code silver/events}, with every rejected line in {@code silver/events_quarantine}. Each raw
 * line is accepted, counted as a duplicate (its event_id was seen before) or quarantined with a
 * reason, and the run log's counts reconcile. A landing date whose files are unchanged since
 * they were ingested is skipped; otherwise its rows are replaced, so a rerun changes nothing.
 * Several landing dates (a catch-up) are read in one pass and written in one commit per table.
 * As a stage ({@link #run}) it catches up to the date, or takes only the date's folder
 * ({@link IngestOptions}).
 */
public final class EventsIngestJob extends Stage {

    private static final Logger LOG = LoggerFactory.getLogger(EventsIngestJob.class);

    public static final String JOB = "ingest-events";
    public static final String SOURCE = "events";

    private static final List<String> TEXT_SUFFIXES = List.of(".json", ".jsonl", ".json.gz", ".jsonl.gz");
    private static final String PARQUET_SUFFIX = ".parquet";

    /** Up to this many contested event_ids (see EventTransforms.contestedIds) are broadcast. */
    private static final long BROADCAST_CONTESTED = 1_000_000;

    /**
     * Up to this many valid events in a batch, the earlier event_ids are filtered by a Bloom filter
     * of the batch's before they are compared (about 1.2 bytes per event on the driver: 24 MB here).
     */
    private static final long BLOOM_FILTERED = 20_000_000;

    private final RawZone raw;
    private final IngestOptions options;

    public EventsIngestJob(JobContext context, IngestOptions options) {
        super(context, JOB, List.of(SilverEvents.TABLE),
                List.of(SilverEvents.TABLE, EventsQuarantine.TABLE, Identities.TABLE, Identities.CONFLICTS));
        this.raw = new RawZone(context.config().raw(), context.spark().sparkContext().hadoopConfiguration());
        this.options = options;
    }

    /** The stage as {@code run} runs it: catching up, failing on corrupt files. */
    public EventsIngestJob(JobContext context) {
        this(context, IngestOptions.catchUp(false));
    }

    /**
     * With {@link IngestOptions#landingDateOnly}: the folder {@code dt=date}. Else every landed
     * folder up to {@code date} not yet ingested, and date's own again if its files changed; with
     * {@code input.require-landed}, a date whose folder has not landed is an input-missing error.
     */
    @Override
    public JobResult run(LocalDate date) {
        if (options.landingDateOnly()) {
            return ingest(List.of(date), options);
        }
        TreeSet<LocalDate> dates = new TreeSet<>(pendingDates(date));
        if (landed(date)) {
            dates.add(date); // re-ingested only if its files changed
        } else if (!raw.rootExists() && !IngestedBatches.fingerprints(store).isEmpty()) {
            // this lake took in deliveries from `raw` before: a raw zone that is gone is a setting to fix, not a
            // delivery to wait for (a raw zone nothing has landed in yet may not exist: an empty s3a prefix does not)
            throw context.config().error("raw", raw.root() + " does not exist, though this lake has ingested from it before:"
                    + " fix `raw` (or --conf raw=...)");
        } else if (context.config().requireLandedInput()) {
            throw BeatlineException.inputMissing("No events have landed for " + date + " (no folder dt=" + date
                    + " under " + context.config().raw() + "/events). Retry once the delivery is in, or set"
                    + " input.require-landed = false to run on what has landed."
                    + (raw.rootExists() ? "" : " " + raw.root() + " does not exist yet: if it should, check `raw`."));
        }
        if (dates.isEmpty()) {
            return JobRunner.run(context, JOB, date, runId -> {
                recordInterrupted(runId);
                return new JobResult(RowCounts.NONE, "nothing new has landed" + raw.strayNote(SOURCE));
            });
        }
        return ingest(List.copyOf(dates), options);
    }

    /** Landing dates up to {@code asOf} that were never ingested, oldest first. */
    public List<LocalDate> pendingDates(LocalDate asOf) {
        Set<LocalDate> done = IngestedBatches.fingerprints(store, SOURCE).keySet();
        return raw.landedDates(SOURCE).stream()
                .filter(date -> !date.isAfter(asOf) && !done.contains(date))
                .toList();
    }

    /** Whether {@code raw/events/dt=date} exists. */
    public boolean landed(LocalDate date) {
        return raw.batch(SOURCE, date).isPresent();
    }

    /**
     * Ingests what landed on each of {@code landingDates}, in one pass and one commit per table,
     * as one run. A date whose files are unchanged since they were ingested is left alone unless
     * {@code options.force()}; {@code options.skipCorruptFiles()} quarantines an unreadable file
     * instead of failing.
     */
    public JobResult ingest(List<LocalDate> landingDates, IngestOptions options) {
        LocalDate runDate = landingDates.stream().max(LocalDate::compareTo).orElseThrow();
        return JobRunner.run(context, JOB, runDate, runId -> {
            recordInterrupted(runId);
            Map<LocalDate, String> previous = IngestedBatches.fingerprints(store, SOURCE);
            List<LandedBatch> batches = new ArrayList<>();
            List<LocalDate> unchanged = new ArrayList<>();
            for (LocalDate date : new TreeSet<>(landingDates)) {
                LandedBatch batch = raw.batch(SOURCE, date).orElseThrow(() -> BeatlineException.inputMissing(
                        "No events have landed for " + date + ": " + raw.root() + "/" + SOURCE + "/dt=" + date
                                + " does not exist. Wait for the delivery, or check `raw` in the config."));
                if (!options.force() && batch.fingerprint().equals(previous.get(date))) {
                    unchanged.add(date);
                } else {
                    batches.add(batch);
                }
            }
            String stray = raw.strayNote(SOURCE); // what the raw zone holds that no landing date reads
            if (batches.isEmpty()) {
                return new JobResult(RowCounts.NONE, "landing " + dateRange(unchanged)
                        + " unchanged since ingested; nothing to do" + stray);
            }
            if (batches.size() > 1) { // a catch-up: say what it takes in before the long pass that does
                long files = batches.stream().mapToLong(batch -> batch.files().size()).sum();
                LOG.info("{} {}: catching up landing {}, {} files", JOB, runDate,
                        dateRange(batches.stream().map(LandedBatch::landingDate).toList()), files);
            }
            JobResult result = ingestBatches(batches, runId, options.skipCorruptFiles());
            return new JobResult(result.counts(), result.message() + stray, result.parts(), result.inputs());
        });
    }

    /**
     * Writes the run-log rows of ingest runs killed after their last commit (the landing's row in
     * meta/ingested_batches, with its counts) and before their own row.
     */
    private void recordInterrupted(String runId) {
        List<PipelineRuns.Interrupted> runs = new ArrayList<>();
        IngestedBatches.unlogged(store, JOB, List.of(SOURCE)).forEach((killed, rows) -> {
            List<LocalDate> landings = rows.stream().map(row -> row.<Date>getAs("landing_date").toLocalDate()).toList();
            RowCounts counts = rows.stream().map(IngestedBatches::counts).reduce(RowCounts.NONE, RowCounts::plus);
            runs.add(new PipelineRuns.Interrupted(killed, landings.get(landings.size() - 1),
                    rows.get(0).<Timestamp>getAs("ingested_at").toInstant(), counts,
                    "landing " + dateRange(landings) + ": " + counts.read() + " rows read, " + counts.written() + " accepted, "
                            + counts.duplicate() + " duplicates, " + counts.quarantined() + " quarantined", List.of()));
        });
        PipelineRuns.recordInterrupted(context, JOB, runId, runs);
    }

    private JobResult ingestBatches(List<LandedBatch> batches, String runId, boolean skipCorruptFiles) {
        List<Row> fileProblems = new ArrayList<>();
        List<RawFile> readable = new ArrayList<>();
        Map<String, LocalDate> landingOf = new LinkedHashMap<>();
        for (LandedBatch batch : batches) {
            for (RawFile file : batch.files()) {
                landingOf.put(file.path(), batch.landingDate());
                if (isText(file) || isParquet(file)) {
                    readable.add(file);
                } else {
                    fileProblems.add(RowFactory.create(Date.valueOf(batch.landingDate()), file.path(), null,
                            "unsupported_file", runId));
                }
            }
        }

        Dataset<Row> parsed = null;
        Map<LocalDate, Long> validByEventDate = null;
        while (validByEventDate == null) {
            try {
                // inside the try: Parquet footers are read here, when the schema is inferred
                parsed = readLines(readable, landingOf)
                        .transform(lines -> EventTransforms.parse(lines, context.config().eventFields()))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                Map<LocalDate, Long> counted = new TreeMap<>(); // set once the read went through
                for (Row row : parsed.filter(col("reason").isNull()).groupBy("event_date").count().collectAsList()) {
                    counted.put(row.getDate(0).toLocalDate(), row.getLong(1));
                }
                validByEventDate = counted;
            } catch (Exception readFailure) { // SparkException is checked, though Scala throws it undeclared
                if (parsed != null) {
                    parsed.unpersist();
                }
                Map<RawFile, String> corrupt = findCorrupt(readable);
                if (corrupt.isEmpty()) {
                    throw readFailure instanceof RuntimeException runtime ? runtime
                            : BeatlineException.jobFailure("Reading the landed events failed: "
                                    + JobRunner.rootMessage(readFailure), readFailure);
                }
                if (!skipCorruptFiles) {
                    throw BeatlineException.jobFailure(corruptMessage(corrupt), readFailure);
                }
                for (Map.Entry<RawFile, String> entry : corrupt.entrySet()) {
                    readable.remove(entry.getKey());
                    fileProblems.add(RowFactory.create(Date.valueOf(landingOf.get(entry.getKey().path())),
                            entry.getKey().path(), "corrupt file: " + entry.getValue(), "corrupt_file", runId));
                }
            }
        }

        List<LocalDate> landingDates = batches.stream().map(LandedBatch::landingDate).toList();
        Dataset<Row> earlier = earlierEventIds(List.copyOf(validByEventDate.keySet()), landingDates);
        long valid = validByEventDate.values().stream().mapToLong(Long::longValue).sum();
        if (valid > 0 && valid <= BLOOM_FILTERED) {
            // the earlier events of these dates are millions, the batch's ids among them few: a Bloom filter of the
            // batch's ids keeps the earlier ids out of the shuffle but those few (and about 1% of the others)
            earlier = EventTransforms.mightBeIn(earlier, "event_id",
                    EventTransforms.bloomFilter(parsed.filter(col("reason").isNull()), "event_id", valid, 0.01));
        }
        Dataset<Row> contested = EventTransforms.contestedIds(parsed, earlier).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> classified = EventTransforms.classify(parsed, contested, contested.count() <= BROADCAST_CONTESTED);
        try {
            Map<String, Long> byOutcome = new TreeMap<>();
            Map<LocalDate, RowCounts> byLanding = new TreeMap<>();
            for (Row row : classified.groupBy("landing_date", "status", "reason").count().collectAsList()) {
                String status = row.getAs("status");
                String reason = row.getAs("reason");
                long count = row.getAs("count");
                byOutcome.merge(reason == null ? status : status + ":" + reason, count, Long::sum);
                byLanding.merge(row.<Date>getAs("landing_date").toLocalDate(), outcome(status, count), RowCounts::plus);
            }
            for (Row problem : fileProblems) {
                byOutcome.merge(EventTransforms.QUARANTINED + ":" + problem.getString(3), 1L, Long::sum);
                byLanding.merge(problem.getDate(0).toLocalDate(), outcome(EventTransforms.QUARANTINED, 1), RowCounts::plus);
            }

            Dataset<Row> accepted = classified.filter(col("status").equalTo(EventTransforms.ACCEPTED))
                    .transform(rows -> EventTransforms.score(rows, context.config().events(), runId));
            Dataset<Row> quarantined = classified.filter(col("status").equalTo(EventTransforms.QUARANTINED))
                    .transform(rows -> EventTransforms.quarantineRows(rows, runId))
                    .unionByName(spark().createDataFrame(fileProblems, EventsQuarantine.TABLE.schema()));
            long read = byOutcome.values().stream().mapToLong(Long::longValue).sum();
            long duplicates = byOutcome.getOrDefault(EventTransforms.DUPLICATE, 0L);
            long quarantinedCount = byOutcome.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(EventTransforms.QUARANTINED)).mapToLong(Map.Entry::getValue).sum();
            // silver events are partitioned by event date; a landing's rows are found by landing_date
            long written = store.replace(SilverEvents.TABLE, accepted, SqlPredicates.in("landing_date", landingDates));
            // checked before the quarantine and the fingerprints are committed: a failure leaves the
            // landing un-ingested, and the rerun replaces its silver rows
            if (read != written + duplicates + quarantinedCount) {
                throw new IllegalStateException("counts do not reconcile for landing " + dateRange(landingDates)
                        + ": read " + read + " != written " + written + " + duplicates " + duplicates
                        + " + quarantined " + quarantinedCount);
            }
            store.replacePartitions(EventsQuarantine.TABLE, quarantined, landingDates);
            // the links from the rows just written (five columns of them), not the batch classified again
            String links = link(store.read(SilverEvents.TABLE).filter(col("landing_date").isin(landingDates.stream()
                    .map(Date::valueOf).toArray())), landingDates);
            Map<LandedBatch, RowCounts> ingested = new LinkedHashMap<>();
            batches.forEach(batch -> ingested.put(batch, byLanding.getOrDefault(batch.landingDate(), RowCounts.NONE)));
            IngestedBatches.record(store, ingested, runId);
            int files = batches.stream().mapToInt(b -> b.files().size()).sum();
            return new JobResult(new RowCounts(read, written, duplicates, quarantinedCount),
                    summary(landingDates, files, read, written, duplicates, byOutcome) + links);
        } finally {
            contested.unpersist();
            parsed.unpersist();
        }
    }

    /**
     * Updates silver/identities and silver/identity_conflicts with the links among the accepted
     * events of {@code landingDates} (their earlier rows, from an earlier ingestion of the same
     * landings, are replaced). Both results are computed before either table is written.
     * Returns the run-log words: ids linked, conflicts recorded.
     */
    private String link(Dataset<Row> accepted, List<LocalDate> landingDates) {
        Dataset<Row> links = Identities.links(accepted).localCheckpoint();
        if (links.isEmpty() && !holdsRows(Identities.TABLE, "link_landing_date", landingDates)
                && !holdsRows(Identities.CONFLICTS, "landing_date", landingDates)) {
            // most landings carry no link: nothing to compute, and no commit once the tables exist
            for (TableSpec table : List.of(Identities.TABLE, Identities.CONFLICTS)) {
                if (!store.exists(table)) {
                    store.replaceAll(table, store.read(table));
                }
            }
            return "";
        }
        Object[] dates = landingDates.stream().map(Date::valueOf).toArray();
        Dataset<Row> existing = store.read(Identities.TABLE).filter(col("link_landing_date").isin(dates).unary_$bang());
        Dataset<Row> existingConflicts = store.read(Identities.CONFLICTS).filter(col("landing_date").isin(dates).unary_$bang());
        Identities.Update update = Identities.update(existing, existingConflicts, links);
        Dataset<Row> identities = update.identities().localCheckpoint();
        Dataset<Row> conflicts = update.conflicts().localCheckpoint();
        long linked = replaceIfChanged(Identities.TABLE, identities, "link_landing_date", landingDates);
        long conflicting = replaceIfChanged(Identities.CONFLICTS, conflicts, "landing_date", landingDates);
        return linked == 0 && conflicting == 0 ? ""
                : "; " + linked + " anonymous ids linked to users" + (conflicting > 0 ? ", " + conflicting + " identity conflicts" : "");
    }

    /**
     * Replaces the rows of {@code landingDates} in an identity table, but commits nothing when
     * there are no rows to write and none to replace: a Delta commit is the larger part of a
     * small landing's cost.
     */
    private long replaceIfChanged(TableSpec table, Dataset<Row> rows, String landingColumn, List<LocalDate> landingDates) {
        if (store.exists(table) && rows.isEmpty() && !holdsRows(table, landingColumn, landingDates)) {
            return 0;
        }
        return store.replace(table, rows, SqlPredicates.in(landingColumn, landingDates));
    }

    /** Whether an identity table holds rows of {@code landingDates} (from an earlier ingestion of them). */
    private boolean holdsRows(TableSpec table, String landingColumn, List<LocalDate> landingDates) {
        return store.exists(table) && !store.read(table).filter(SqlPredicates.in(landingColumn, landingDates)).isEmpty();
    }

    /** {@code count} raw rows of one outcome ({@code accepted}, {@code duplicate} or {@code quarantined}). */
    private static RowCounts outcome(String status, long count) {
        return switch (status) {
            case EventTransforms.ACCEPTED -> new RowCounts(count, count, 0, 0);
            case EventTransforms.DUPLICATE -> new RowCounts(count, 0, count, 0);
            default -> new RowCounts(count, 0, 0, count);
        };
    }

    /**
     * Every non-blank line of the text files and every row of the Parquet files, as
     * {@code value, source_file, landing_date} (the date of the file's dt= folder): one scan per
     * landing date and format, each with its date as a constant.
     */
    private Dataset<Row> readLines(List<RawFile> files, Map<String, LocalDate> landingOf) {
        Dataset<Row> lines = spark().createDataFrame(List.of(), new org.apache.spark.sql.types.StructType()
                .add("value", "string").add("source_file", "string").add("landing_date", "date"));
        Map<LocalDate, List<RawFile>> byLanding = files.stream()
                .collect(Collectors.groupingBy(file -> landingOf.get(file.path()), TreeMap::new, Collectors.toList()));
        for (Map.Entry<LocalDate, List<RawFile>> landing : byLanding.entrySet()) {
            Column date = lit(Date.valueOf(landing.getKey()));
            String[] text = landing.getValue().stream().filter(EventsIngestJob::isText).map(RawFile::path).toArray(String[]::new);
            String[] parquet = landing.getValue().stream().filter(EventsIngestJob::isParquet).map(RawFile::path)
                    .toArray(String[]::new);
            if (text.length > 0) {
                lines = lines.unionByName(textLines(spark(), text, landing.getKey()));
            }
            if (parquet.length > 0) {
                for (Dataset<Row> rows : parquetReads(parquet)) {
                    Column[] columns = Arrays.stream(rows.columns()).map(name -> col("`" + name + "`")).toArray(Column[]::new);
                    lines = lines.unionByName(rows.select(to_json(struct(columns)).as("value"),
                            col("_metadata.file_path").as("source_file"), date.as("landing_date")));
                }
            }
        }
        return lines;
    }

    /**
     * Every non-blank line of the JSON-lines files of one landing (plain or gzip), as
     * {@code value, source_file, landing_date}: the first step of the stage's read.
     */
    public static Dataset<Row> textLines(SparkSession spark, String[] paths, LocalDate landingDate) {
        return spark.read().text(paths)
                .filter(trim(col("value")).notEqual(""))
                .select(col("value"), col("_metadata.file_path").as("source_file"), lit(Date.valueOf(landingDate)).as("landing_date"));
    }

    /**
     * The Parquet files of one landing, read with one merged schema; when their schemas cannot be
     * merged (a column typed differently in two files: schema drift between exports), one read per
     * distinct schema instead. Every row becomes a JSON line either way, so each file's own types
     * are kept and the field mapping parses them all. A file that cannot be read at all fails here,
     * and the caller names it.
     */
    private List<Dataset<Row>> parquetReads(String[] files) {
        try {
            Dataset<Row> merged = spark().read().option("mergeSchema", "true").parquet(files);
            return List.of(merged);
        } catch (Exception mergeFailure) { // AnalysisException / SparkException, thrown undeclared
            Map<String, List<String>> bySchema = new LinkedHashMap<>();
            for (String file : files) {
                bySchema.computeIfAbsent(spark().read().parquet(file).schema().json(), schema -> new ArrayList<>()).add(file);
            }
            if (bySchema.size() < 2) {
                throw mergeFailure;
            }
            LOG.warn("The Parquet files of one landing have {} schemas that do not merge; reading each schema's files on"
                    + " their own: {}", bySchema.size(), bySchema.values());
            return bySchema.values().stream().map(group -> spark().read().parquet(group.toArray(String[]::new))).toList();
        }
    }

    /** event_ids already in silver/events from other landings, on the event dates this batch touches. */
    private Dataset<Row> earlierEventIds(List<LocalDate> eventDates, List<LocalDate> landingDates) {
        Object[] dates = eventDates.stream().map(Date::valueOf).toArray();
        Object[] landings = landingDates.stream().map(Date::valueOf).toArray();
        return store.read(SilverEvents.TABLE)
                .filter(col("event_date").isin(dates).and(col("landing_date").isin(landings).unary_$bang()))
                .select("event_id");
    }

    /** Reads each file on its own to find the ones that cannot be read: only after a read failed. */
    private Map<RawFile, String> findCorrupt(List<RawFile> files) {
        Map<RawFile, String> corrupt = new LinkedHashMap<>();
        for (RawFile file : files) {
            probe(file).ifPresent(problem -> corrupt.put(file, problem));
        }
        return corrupt;
    }

    private Optional<String> probe(RawFile file) {
        try {
            if (isParquet(file)) {
                spark().read().parquet(file.path()).count();
            } else if (file.name().endsWith(".gz")) {
                Path path = new Path(file.path());
                try (InputStream in = new GZIPInputStream(path.getFileSystem(spark().sparkContext().hadoopConfiguration()).open(path))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return Optional.empty();
        } catch (Exception e) { // IOException, or Spark's undeclared SparkException
            return Optional.of(JobRunner.rootMessage(e));
        }
    }

    private static String corruptMessage(Map<RawFile, String> corrupt) {
        String files = corrupt.entrySet().stream().map(e -> e.getKey().path() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        return "Cannot read " + (corrupt.size() == 1 ? "file " : "files ") + files
                + "; nothing was written. Replace the file and rerun, or rerun with --skip-corrupt-files to record it"
                + " in silver/events_quarantine and ingest the rest.";
    }

    private static String summary(List<LocalDate> landingDates, int files, long read, long written, long duplicates,
                                  Map<String, Long> byOutcome) {
        String reasons = byOutcome.entrySet().stream()
                .filter(e -> e.getKey().startsWith(EventTransforms.QUARANTINED + ":"))
                .map(e -> e.getKey().substring(EventTransforms.QUARANTINED.length() + 1) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return "landing " + dateRange(landingDates) + ", " + files + " files, " + read + " rows read: " + written
                + " accepted, " + duplicates + " duplicates, " + (read - written - duplicates) + " quarantined"
                + (reasons.isEmpty() ? "" : " (" + reasons + ")");
    }

    private static String dateRange(List<LocalDate> dates) {
        List<LocalDate> sorted = dates.stream().sorted().toList();
        return sorted.size() == 1 ? sorted.get(0).toString()
                : sorted.get(0) + ".." + sorted.get(sorted.size() - 1) + " (" + sorted.size() + " dates)";
    }

    private static boolean isText(RawFile file) {
        return TEXT_SUFFIXES.stream().anyMatch(file.name()::endsWith);
    }

    private static boolean isParquet(RawFile file) {
        return file.name().endsWith(PARQUET_SUFFIX);
    }

    private SparkSession spark() {
        return context.spark();
    }
}
