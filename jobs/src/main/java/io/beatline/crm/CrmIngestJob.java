package io.beatline.crm;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_keys;
import static org.apache.spark.sql.functions.signum;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.beatline.config.CustomFieldType;
import io.beatline.core.BeatlineException;
import io.beatline.core.Concurrently;
import io.beatline.core.IngestOptions;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.PipelineRuns;
import io.beatline.core.RowCounts;
import io.beatline.core.SerializableHadoopConf;
import io.beatline.core.SqlPredicates;
import io.beatline.core.Stage;
import io.beatline.core.TableSpec;
import io.beatline.ingest.IngestedBatches;
import io.beatline.ingest.LandedBatch;
import io.beatline.ingest.RawFile;
import io.beatline.ingest.RawZone;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Job {@code ingest-crm}: CRM snapshots (SPEC 2.2) into {@code silver/<entity>}, one partition
 * per snapshot date, with bad records in {@code silver/crm_quarantine}. One run covers every
 * entity and every snapshot date given; the run log gets a row for the run and one per entity
 * ({@code ingest-crm:<entity>}). A snapshot whose files are unchanged is not read again.
 */
public final class CrmIngestJob extends Stage {

    public static final String JOB = "ingest-crm";

    private static final StructType RECORDS = new StructType()
            .add("snapshot_date", DataTypes.DateType)
            .add("source_file", DataTypes.StringType)
            .add("record_number", DataTypes.LongType)
            .add("raw", DataTypes.StringType)
            .add("values", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
            .add("problem", DataTypes.StringType);

    /** How many entities are ingested at once. */
    static final int CONCURRENT_ENTITIES = 3;

    private final RawZone raw;

    private final IngestOptions options;

    public CrmIngestJob(JobContext context, IngestOptions options) {
        super(context, JOB, List.of(),
                outputTables());
        this.raw = new RawZone(context.config().raw(), context.spark().sparkContext().hadoopConfiguration());
        this.options = options;
    }

    private static List<TableSpec> outputTables() {
        List<TableSpec> tables = new ArrayList<>();
        for (CrmEntity entity : CrmEntity.values()) {
            tables.add(entity.table);
        }
        tables.add(CrmQuarantine.TABLE);
        return tables;
    }

    /** The stage as {@code run} runs it: catching up, failing on corrupt files. */
    public CrmIngestJob(JobContext context) {
        this(context, IngestOptions.catchUp(false));
    }

    /** With {@link IngestOptions#landingDateOnly}: the snapshots of {@code date}; else the catch-up to it. */
    @Override
    public JobResult run(LocalDate date) {
        return options.landingDateOnly() ? ingestDate(date, options) : catchUp(date, options);
    }

    /** The snapshots that landed on {@code date}, for every entity that has one. */
    public JobResult ingestDate(LocalDate date, IngestOptions options) {
        Map<CrmEntity, List<LocalDate>> dates = new EnumMap<>(CrmEntity.class);
        for (CrmEntity entity : CrmEntity.values()) {
            if (raw.batch(entity.source(), date).isPresent()) {
                dates.put(entity, List.of(date));
            }
        }
        if (dates.isEmpty()) {
            throw BeatlineException.inputMissing("No CRM snapshot has landed for " + date + ": no folder "
                    + raw.root() + "/crm/<entity>/dt=" + date + ".");
        }
        return ingest(dates, date, options);
    }

    /** Every snapshot up to {@code asOf} never ingested, and asOf's own if its files changed (or with force). */
    public JobResult catchUp(LocalDate asOf, IngestOptions options) {
        Map<CrmEntity, List<LocalDate>> dates = new EnumMap<>(CrmEntity.class);
        Map<String, Map<LocalDate, String>> ingested = IngestedBatches.fingerprints(store);
        for (CrmEntity entity : CrmEntity.values()) {
            Set<LocalDate> done = ingested.getOrDefault(entity.source(), Map.of()).keySet();
            TreeSet<LocalDate> pending = raw.landedDates(entity.source()).stream()
                    .filter(date -> !date.isAfter(asOf) && (!done.contains(date) || date.equals(asOf)))
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!pending.isEmpty()) {
                dates.put(entity, List.copyOf(pending));
            }
        }
        return ingest(dates, asOf, options);
    }

    private JobResult ingest(Map<CrmEntity, List<LocalDate>> dates, LocalDate runDate, IngestOptions options) {
        return JobRunner.run(context, JOB, runDate, runId -> {
            recordInterrupted(runId);
            String migrated = migrateWholeSnapshots();
            List<LandedBatch> batches = new ArrayList<>();
            Map<CrmEntity, List<LandedBatch>> byEntity = new EnumMap<>(CrmEntity.class);
            Map<String, Map<LocalDate, String>> ingested = IngestedBatches.fingerprints(store);
            for (Map.Entry<CrmEntity, List<LocalDate>> entry : dates.entrySet()) {
                Map<LocalDate, String> previous = ingested.getOrDefault(entry.getKey().source(), Map.of());
                for (LocalDate date : entry.getValue()) {
                    LandedBatch batch = raw.batch(entry.getKey().source(), date).orElseThrow();
                    if (options.force() || !batch.fingerprint().equals(previous.get(date))) {
                        byEntity.computeIfAbsent(entry.getKey(), e -> new ArrayList<>()).add(batch);
                        batches.add(batch);
                    }
                }
            }
            // what the raw zone holds that no snapshot date reads
            String stray = Arrays.stream(CrmEntity.values()).map(entity -> raw.strayNote(entity.source()))
                    .collect(Collectors.joining());
            if (batches.isEmpty()) {
                return new JobResult(RowCounts.NONE, migrated + "no new CRM snapshot; nothing to do" + stray);
            }
            Map<String, Set<LocalDate>> withRecords = IngestedBatches.landingsWithRows(store);
            // each entity's Spark jobs are small: a few entities at once (see Concurrently). 1. every entity's records
            // parsed, checked and typed; a file that cannot be read fails the stage here, before anything is written
            List<Callable<Classified>> classifying = new ArrayList<>();
            byEntity.forEach((entity, entityBatches) -> classifying.add(() -> classify(entity, entityBatches, runId,
                    options.skipCorruptFiles())));
            List<Classified> classified = Concurrently.run(classifying, CONCURRENT_ENTITIES, "reading the CRM snapshots");
            // 2. each entity's versions merged into its own table
            List<Callable<EntityIngest>> perEntity = classified.stream().<Callable<EntityIngest>>map(entity ->
                    () -> store(entity, withRecords.getOrDefault(entity.entity().source(), Set.of()))).toList();
            List<JobResult.Part> parts = new ArrayList<>();
            List<Dataset<Row>> quarantined = new ArrayList<>();
            Map<LandedBatch, RowCounts> counted = new LinkedHashMap<>();
            RowCounts total = RowCounts.NONE;
            for (EntityIngest entity : Concurrently.run(perEntity, CONCURRENT_ENTITIES, "storing the CRM versions")) {
                parts.add(entity.part());
                quarantined.add(entity.quarantined());
                counted.putAll(entity.counted());
                total = total.plus(entity.part().counts());
            }
            String theseSnapshots = SqlPredicates.or(byEntity.entrySet().stream()
                    .map(e -> SqlPredicates.and(SqlPredicates.equalTo("entity", e.getKey().entityName),
                            SqlPredicates.in("snapshot_date", e.getValue().stream().map(LandedBatch::landingDate).toList())))
                    .toList());
            Dataset<Row> allQuarantined = quarantined.stream().reduce(Dataset::unionByName).orElseThrow();
            store.replace(CrmQuarantine.TABLE, allQuarantined, theseSnapshots);
            IngestedBatches.record(store, counted, runId);
            String summary = migrated + parts.stream().map(p -> p.name() + " " + p.message()).collect(Collectors.joining("; ")) + stray;
            return new JobResult(total, summary, parts);
        });
    }

    /**
     * Writes the run-log rows of CRM ingest runs killed after their last commit (their snapshots'
     * rows in meta/ingested_batches, with their counts) and before their own rows: the run's and
     * one per entity.
     */
    private void recordInterrupted(String runId) {
        List<String> sources = Arrays.stream(CrmEntity.values()).map(CrmEntity::source).toList();
        List<PipelineRuns.Interrupted> runs = new ArrayList<>();
        IngestedBatches.unlogged(store, JOB, sources).forEach((killed, rows) -> {
            Map<String, RowCounts> byEntity = new TreeMap<>();
            Map<String, Integer> snapshots = new TreeMap<>();
            LocalDate last = null;
            for (Row row : rows) {
                String entity = row.<String>getAs("source").substring(CrmEntity.SOURCE_PREFIX.length());
                byEntity.merge(entity, IngestedBatches.counts(row), RowCounts::plus);
                snapshots.merge(entity, 1, Integer::sum);
                LocalDate date = row.<Date>getAs("landing_date").toLocalDate();
                last = last == null || date.isAfter(last) ? date : last;
            }
            List<JobResult.Part> parts = byEntity.entrySet().stream().map(e -> new JobResult.Part(e.getKey(), e.getValue(),
                    snapshots.get(e.getKey()) + " snapshot(s), " + e.getValue().read() + " records: " + e.getValue().written()
                            + " kept, " + e.getValue().quarantined() + " quarantined")).toList();
            RowCounts total = byEntity.values().stream().reduce(RowCounts.NONE, RowCounts::plus);
            runs.add(new PipelineRuns.Interrupted(killed, last, rows.get(0).<Timestamp>getAs("ingested_at").toInstant(), total,
                    parts.stream().map(p -> p.name() + " " + p.message()).collect(Collectors.joining("; ")), parts));
        });
        PipelineRuns.recordInterrupted(context, JOB, runId, runs);
    }

    /**
     * What one entity's snapshots gave: its run-log part, its quarantined rows (written with the
     * other entities' in one commit) and the counts of each snapshot (for meta/ingested_batches).
     */
    private record EntityIngest(JobResult.Part part, Dataset<Row> quarantined, Map<LandedBatch, RowCounts> counted) {
    }

    /**
     * One entity's snapshots parsed, checked and typed: its records with their {@code reason}
     * (null when kept), kept on disk for the stage; its custom columns and types; the rows of each
     * reason; each snapshot's counts.
     */
    private record Classified(CrmEntity entity, List<LandedBatch> batches, Dataset<Row> records,
                              Map<String, CustomFieldType> customTypes, Map<String, Long> reasons,
                              Map<LocalDate, RowCounts> bySnapshot) {
    }

    /**
     * Parses, checks and types the records of one entity's snapshots; a file that cannot be read
     * fails here unless {@code skipCorruptFiles}. Writes nothing.
     */
    private Classified classify(CrmEntity entity, List<LandedBatch> batches, String runId, boolean skipCorruptFiles) {
        // every file is parsed in a Spark task of its own, as a stream (CrmFiles.open): never on the driver
        List<String[]> files = new ArrayList<>();
        for (LandedBatch batch : batches) {
            for (RawFile file : batch.files()) {
                files.add(new String[] {file.path(), file.name(), batch.landingDate().toString()});
            }
        }
        SerializableHadoopConf hadoop = new SerializableHadoopConf(context.spark().sparkContext().hadoopConfiguration());
        JavaRDD<Row> parsed = JavaSparkContext.fromSparkContext(context.spark().sparkContext())
                .parallelize(files, Math.max(1, files.size()))
                .flatMap(file -> new RecordRows(CrmFiles.open(file[0], file[1], LocalDate.parse(file[2]), hadoop.get())));
        // kept on disk, not in memory: a snapshot of millions of records must ingest with a small heap
        Dataset<Row> parsedRows = context.spark().createDataFrame(parsed, RECORDS).persist(StorageLevel.DISK_ONLY());
        Dataset<Row> classified;
        Map<String, CustomFieldType> customTypes = new LinkedHashMap<>();
        Map<String, Long> reasons = new TreeMap<>();
        Map<LocalDate, RowCounts> bySnapshot = new TreeMap<>();
        try {
            Dataset<Row> records = parsedRows;
            // one job: the files that could not be read to their end, and every column name the records have
            Row found = records.agg(
                    collect_set(when(col("problem").equalTo(CrmFiles.CORRUPT_FILE), array(col("source_file"), col("raw")))),
                    array_distinct(flatten(collect_set(map_keys(col("values")))))).first();
            List<List<String>> corrupt = found.<scala.collection.Seq<String>>getList(0).stream()
                    .map(scala.jdk.javaapi.CollectionConverters::asJava).toList();
            if (!corrupt.isEmpty() && !skipCorruptFiles) {
                throw BeatlineException.jobFailure("Cannot read file " + corrupt.get(0).get(0) + " ("
                        + corrupt.get(0).get(1).substring("corrupt file: ".length()) + "); nothing was written."
                        + " Replace the file and rerun, or rerun with --skip-corrupt-files to record it in silver/crm_quarantine.",
                        null);
            }
            if (!corrupt.isEmpty()) { // a file that cannot be read to its end keeps only the record saying so
                Object[] corruptFiles = corrupt.stream().map(pair -> pair.get(0)).distinct().toArray();
                records = records.filter(col("source_file").isin(corruptFiles).unary_$bang()
                        .or(col("problem").equalTo(CrmFiles.CORRUPT_FILE)));
            }
            TreeSet<String> customColumns = new TreeSet<>();
            found.<String>getList(1).stream().filter(column -> !entity.isStandard(column)).forEach(customColumns::add);
            customColumns.forEach(column -> customTypes.put(column, context.config().customFieldType(entity.entityName, column)));

            classified = records
                    .transform(rows -> CrmTransforms.type(rows, entity, customTypes))
                    .transform(typed -> CrmTransforms.markDuplicateKeys(typed, entity))
                    .withColumn("run_id", lit(runId))
                    .persist(StorageLevel.DISK_ONLY());
            // the counts fill classified's cache from the parsed rows' (released below)
            for (Row row : classified.groupBy("snapshot_date", "reason").count().collectAsList()) {
                String reason = row.getAs("reason");
                long count = row.getAs("count");
                if (reason != null) {
                    reasons.merge(reason, count, Long::sum);
                }
                bySnapshot.merge(row.<Date>getAs("snapshot_date").toLocalDate(),
                        reason == null ? new RowCounts(count, count, 0, 0) : new RowCounts(count, 0, 0, count), RowCounts::plus);
            }
        } finally {
            parsedRows.unpersist();
        }
        return new Classified(entity, batches, classified, customTypes, reasons, bySnapshot);
    }

    /**
     * Merges one entity's kept records into its versions (one commit to silver/&lt;entity&gt;,
     * none when nothing changed); {@code earlierSnapshots}: its snapshot dates ingested before
     * that hold records.
     */
    private EntityIngest store(Classified entityRecords, Set<LocalDate> earlierSnapshots) {
        CrmEntity entity = entityRecords.entity();
        List<LandedBatch> batches = entityRecords.batches();
        Dataset<Row> classified = entityRecords.records();
        Map<String, Long> reasons = entityRecords.reasons();
        Map<LocalDate, RowCounts> bySnapshot = entityRecords.bySnapshot();
        Map<LandedBatch, RowCounts> ingested = new LinkedHashMap<>();
        batches.forEach(batch -> ingested.put(batch, bySnapshot.getOrDefault(batch.landingDate(), RowCounts.NONE)));
        long read = bySnapshot.values().stream().mapToLong(RowCounts::read).sum();
        long written = bySnapshot.values().stream().mapToLong(RowCounts::written).sum();
        String versions = storeVersions(entity, classified.filter(col("reason").isNull()).drop("record_number", "raw", "reason"),
                entityRecords.customTypes().keySet(), batches.stream().map(LandedBatch::landingDate).toList(), bySnapshot,
                earlierSnapshots);
        Dataset<Row> quarantined = classified.filter(col("reason").isNotNull())
                .select(col("snapshot_date"), lit(entity.entityName).as("entity"), col("source_file"), col("raw"),
                        col("reason"), col("run_id"));
        long rejected = reasons.values().stream().mapToLong(Long::longValue).sum();
        long duplicates = reasons.getOrDefault("duplicate_key", 0L);
        String reasonText = reasons.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String message = batches.size() + " snapshot" + (batches.size() == 1 ? "" : "s") + ", " + read
                + " records: " + written + " kept, " + rejected + " quarantined" + (reasonText.isEmpty() ? "" : " (" + reasonText + ")")
                + "; " + versions;
        // duplicate_key rows are quarantined (SPEC 2.2) and counted there; rows_duplicate stays 0 for CRM
        return new EntityIngest(new JobResult.Part(entity.entityName, new RowCounts(read, written, 0, rejected), message),
                quarantined, ingested);
    }

    /**
     * Merges the valid records of the snapshots being ingested into the entity's versions
     * ({@link CrmVersions}) in one commit, or none when the CRM did not change: a snapshot equal
     * to the current state writes nothing. {@code earlierSnapshots}: the entity's snapshot dates
     * ingested before that hold records. Returns the run-log words.
     */
    private String storeVersions(CrmEntity entity, Dataset<Row> records, Collection<String> customColumns,
                                 List<LocalDate> ingesting, Map<LocalDate, RowCounts> bySnapshot,
                                 Set<LocalDate> earlierSnapshots) {
        LocalDate from = ingesting.stream().min(LocalDate::compareTo).orElseThrow();
        TreeSet<LocalDate> withRecords = new TreeSet<>(bySnapshot.entrySet().stream()
                .filter(e -> e.getValue().written() > 0).map(Map.Entry::getKey).toList());
        TreeSet<LocalDate> snapshotDates = new TreeSet<>(earlierSnapshots);
        snapshotDates.removeAll(ingesting);
        snapshotDates.addAll(withRecords);
        String condition = SqlPredicates.or(List.of(SqlPredicates.isNull(CrmVersions.VALID_TO),
                SqlPredicates.atLeast(CrmVersions.VALID_TO, from)));
        if (!store.exists(entity.table)) { // the first snapshot: every version is new, written as it is computed
            return store.replace(entity.table, CrmVersions.merge(store.read(entity.table), records, snapshotDates, withRecords,
                    from, entity.key, entity.dataColumns(customColumns)), condition) + " new versions";
        }
        Dataset<Row> affected = store.read(entity.table).filter(condition).persist(StorageLevel.DISK_ONLY());
        Dataset<Row> versions = CrmVersions.merge(affected, records, snapshotDates, withRecords, from, entity.key,
                entity.dataColumns(customColumns)).persist(StorageLevel.DISK_ONLY());
        try {
            // the versions that appear and vanish, by key, valid_from, valid_to and hash: one job
            List<String> identity = new ArrayList<>(entity.key);
            identity.addAll(List.of(CrmVersions.VALID_FROM, CrmVersions.VALID_TO, CrmVersions.ROW_HASH));
            Column[] compared = identity.stream().map(name -> col("`" + name + "`")).toArray(Column[]::new);
            long opened = 0;
            long replaced = 0;
            for (Row change : affected.select(compared).withColumn("side", lit(-1))
                    .unionByName(versions.select(compared).withColumn("side", lit(1)))
                    .groupBy(compared).agg(sum("side").as("net")).filter(col("net").notEqual(0))
                    .groupBy(signum(col("net")).as("sign")).count().collectAsList()) {
                if (change.<Double>getAs("sign") > 0) {
                    opened = change.getAs("count");
                } else {
                    replaced = change.getAs("count");
                }
            }
            if (opened == 0 && replaced == 0) {
                return "no record changed";
            }
            store.replace(entity.table, versions, condition);
            return opened + " new versions, " + replaced + " ended or replaced";
        } finally {
            versions.unpersist();
            affected.unpersist();
        }
    }

    /**
     * Tables written by a beatline before 2026-12 kept every snapshot whole (one partition per
     * snapshot_date): each is rewritten as versions of its snapshots, in one commit, before
     * anything else reads it. Returns the run-log words.
     */
    private String migrateWholeSnapshots() {
        List<String> migrated = new ArrayList<>();
        for (CrmEntity entity : CrmEntity.values()) {
            if (!store.exists(entity.table) || Arrays.asList(store.read(entity.table).columns()).contains(CrmVersions.VALID_FROM)) {
                continue;
            }
            Dataset<Row> snapshots = store.read(entity.table);
            for (CrmColumn column : entity.columns) { // in case an older table lacks one
                if (!Arrays.asList(snapshots.columns()).contains(column.name())) {
                    snapshots = snapshots.withColumn(column.name(), lit(null).cast(column.kind().type));
                }
            }
            List<String> custom = Arrays.stream(snapshots.columns()).filter(column -> !entity.isStandard(column)).toList();
            List<LocalDate> dates = snapshots.select("snapshot_date").distinct().collectAsList().stream()
                    .map(row -> row.getDate(0).toLocalDate()).toList();
            Dataset<Row> none = store.spark().createDataFrame(List.of(), entity.table.schema());
            Dataset<Row> versions = dates.isEmpty() ? none : CrmVersions.merge(none, snapshots, dates, dates,
                    dates.stream().min(LocalDate::compareTo).orElseThrow(), entity.key, entity.dataColumns(custom)).localCheckpoint();
            long written = store.rebuild(entity.table, versions);
            migrated.add("silver/" + entity.entityName + " rewritten from " + dates.size() + " whole snapshots to " + written
                    + " versions");
        }
        return migrated.isEmpty() ? "" : String.join("; ", migrated) + "; ";
    }

    /** A file's records as rows of {@link #RECORDS}, as the parse gives them (in a Spark task). */
    private record RecordRows(Iterator<CrmRecord> records) implements Iterator<Row> {
        @Override
        public boolean hasNext() {
            return records.hasNext();
        }

        @Override
        public Row next() {
            CrmRecord record = records.next();
            return RowFactory.create(Date.valueOf(record.snapshotDate()), record.sourceFile(), record.recordNumber(),
                    record.raw(), scala.jdk.javaapi.CollectionConverters.asScala(record.values()), record.problem());
        }
    }
}
