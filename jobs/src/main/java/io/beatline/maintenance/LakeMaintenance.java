package io.beatline.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beatline.config.MaintenanceConfig;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.SqlPredicates;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import io.delta.tables.DeltaTable;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import scala.Console;
import org.slf4j.LoggerFactory;

/**
 * {@code beatline maintain} (SPEC 3.7): for every table, compaction (Delta's OPTIMIZE) of the
 * partitions written since the table's last maintenance, VACUUM of the files no version within
 * {@code maintenance.retain-hours} needs, and a checkpoint of its log. Rows never change: OPTIMIZE
 * rewrites files into fewer (a {@code dataChange = false} commit), VACUUM deletes only files no
 * version younger than the retention reads, so time travel within it keeps working and readers
 * of the current version are never disturbed. Running it again finds nothing to compact, and
 * deletes only what has aged out since.
 */
public final class LakeMaintenance {

    public static final String JOB = "maintain";

    private static final Logger LOG = LoggerFactory.getLogger(LakeMaintenance.class);

    /** Delta's setting that refuses a VACUUM below its safe minimum; {@code --force} turns it off for the run. */
    static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";

    /**
     * VACUUM lists a table's folders in a Spark job of this many tasks (Spark's default is
     * 10,000: on a small table, minutes of task overhead for a listing of seconds).
     */
    static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    static final int LISTING_TASKS = 8;

    /** How many of a table's newest commit files are read to find the partitions written since its last maintenance. */
    private static final int COMMITS_SEARCHED = 1000;

    private final JobContext context;
    private final TableStore store;
    private final int retainHours;

    public LakeMaintenance(JobContext context, Optional<Integer> retainHours, boolean force) {
        this.context = context;
        this.store = context.store();
        this.retainHours = retainHours.orElse(context.config().maintenance().retainHours());
        if (this.retainHours < 0) {
            throw BeatlineException.config("--retain-hours must be 0 or more");
        }
        if (this.retainHours < MaintenanceConfig.SAFE_MINIMUM_HOURS && !force) {
            String problem = this.retainHours + " hours is below Delta's safe minimum of " + MaintenanceConfig.SAFE_MINIMUM_HOURS
                    + " (a week): a reader or writer running longer than that could lose files it still reads. Use at least "
                    + MaintenanceConfig.SAFE_MINIMUM_HOURS + ", or `maintain --force` when no job can be running (a test lake,"
                    + " a one-off cleanup).";
            throw retainHours.isPresent() ? BeatlineException.config("--retain-hours " + problem)
                    : context.config().error("maintenance.retain-hours", problem);
        }
    }

    /** What maintenance did to one table. */
    record TableResult(String table, long filesCompacted, long filesWritten, long filesRemoved, long bytesFreed,
                       long filesAfter, long bytesAfter) {
    }

    /** Maintains every table of {@code tables} that exists, under the lake lock, with a run-log row for {@code date}. */
    public JobResult run(List<TableSpec> tables, LocalDate date) {
        return JobRunner.run(context, JOB, date, runId -> {
            List<TableResult> results = new ArrayList<>();
            withSettings(Map.of(RETENTION_CHECK, String.valueOf(retainHours >= MaintenanceConfig.SAFE_MINIMUM_HOURS),
                    LISTING_PARALLELISM, String.valueOf(LISTING_TASKS)), () -> {
                for (TableSpec table : tables) {
                    if (store.exists(table)) {
                        results.add(maintain(table));
                    }
                }
            });
            long compacted = results.stream().mapToLong(TableResult::filesCompacted).sum();
            long written = results.stream().mapToLong(TableResult::filesWritten).sum();
            long removed = results.stream().mapToLong(TableResult::filesRemoved).sum();
            long freed = results.stream().mapToLong(TableResult::bytesFreed).sum();
            long files = results.stream().mapToLong(TableResult::filesAfter).sum();
            long bytes = results.stream().mapToLong(TableResult::bytesAfter).sum();
            String message = results.size() + " tables: " + compacted + " files compacted into " + written + "; " + removed
                    + " files removed (" + megabytes(freed) + " freed, retain-hours " + retainHours + "); "
                    + results.size() + " checkpoints; the lake holds " + files + " data files, " + megabytes(bytes);
            List<JobResult.Part> parts = results.stream().filter(r -> r.filesCompacted() > 0 || r.filesRemoved() > 0)
                    .map(r -> new JobResult.Part(r.table(), RowCounts.NONE, r.table() + ": " + r.filesCompacted() + " files compacted into "
                            + r.filesWritten() + ", " + r.filesRemoved() + " removed (" + megabytes(r.bytesFreed()) + ")"))
                    .toList();
            return new JobResult(RowCounts.NONE, message, parts);
        });
    }

    /** Runs {@code body} with {@code settings} on the session, then puts back what was there. */
    private void withSettings(Map<String, String> settings, Runnable body) {
        var conf = context.spark().conf();
        Map<String, String> before = new HashMap<>();
        settings.forEach((key, value) -> {
            before.put(key, conf.getOption(key).getOrElse(() -> null));
            conf.set(key, value);
        });
        try {
            body.run();
        } finally {
            before.forEach((key, value) -> {
                if (value == null) {
                    conf.unset(key);
                } else {
                    conf.set(key, value);
                }
            });
        }
    }

    private TableResult maintain(TableSpec table) {
        String path = store.lake().path(table);
        DeltaTable delta = DeltaTable.forPath(context.spark(), path);
        long compacted = 0;
        long written = 0;
        Optional<String> writtenSince = partitionsWrittenSinceMaintenance(table);
        if (writtenSince.isPresent()) {
            var optimize = delta.optimize();
            if (!writtenSince.get().isEmpty()) {
                optimize = optimize.where(writtenSince.get());
            }
            var metrics = optimize.executeCompaction().select("metrics.numFilesRemoved", "metrics.numFilesAdded").first();
            compacted = metrics.getLong(0);
            written = metrics.getLong(1);
        }
        Usage before = usage(path);
        // VACUUM prints "Deleted n files and directories ..." on the console: into the log instead
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Console.withOut(said, () -> delta.vacuum(retainHours));
        LOG.info("maintain: {}: {}", table.sqlName(), said.toString(StandardCharsets.UTF_8).trim());
        Usage after = usage(path);
        DeltaLog.forTable(context.spark(), path).checkpoint();
        LOG.info("maintain: {}: {} files compacted into {}, {} removed", table.sqlName(), compacted, written, before.files() - after.files());
        return new TableResult(table.sqlName(), compacted, written, before.files() - after.files(), before.bytes() - after.bytes(),
                after.files(), after.bytes());
    }

    /**
     * What to compact: empty when nothing was written since the table's last maintenance; else a
     * predicate over its partition column selecting the partitions the commits since added files
     * to (the empty string: the whole table, unpartitioned or partitioned by more than one column).
     * The last maintenance is the newest commit whose userMetadata names this job.
     */
    Optional<String> partitionsWrittenSinceMaintenance(TableSpec table) {
        Optional<TableStore.Commit> latest = store.latestCommit(table);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        String partitionColumn = table.partitionColumns().size() == 1 ? table.partitionColumns().get(0) : null;
        Set<String> partitions = new TreeSet<>();
        boolean nullPartition = false; // Delta writes a null partition value as JSON null
        boolean written = false;
        ObjectMapper json = new ObjectMapper();
        long newest = latest.get().version();
        for (long version = newest; version >= 0 && version > newest - COMMITS_SEARCHED; version--) {
            Optional<TableStore.Commit> commit = store.commit(table, version);
            if (commit.isEmpty()) {
                break; // older commit files were cleaned up: what is left is what was written since
            }
            if (commit.get().userMetadata().filter(metadata -> metadata.startsWith(JOB + " ")).isPresent()) {
                break;
            }
            for (String line : commitLines(table, version)) {
                JsonNode add = parse(json, line).get("add");
                if (add != null && add.get("dataChange").asBoolean(true)) {
                    written = true;
                    if (partitionColumn != null) {
                        JsonNode value = add.get("partitionValues").get(partitionColumn);
                        if (value == null || value.isNull()) {
                            nullPartition = true;
                        } else {
                            partitions.add(value.asText());
                        }
                    }
                }
            }
        }
        if (!written) {
            return Optional.empty();
        }
        if (partitionColumn == null) {
            return Optional.of("");
        }
        String predicate = partitions.isEmpty() ? "false" : SqlPredicates.in(partitionColumn, partitions);
        return Optional.of(nullPartition ? "(" + predicate + " OR " + SqlPredicates.isNull(partitionColumn) + ")" : predicate);
    }

    private static JsonNode parse(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("a Delta commit line that is not JSON: " + e.getMessage(), e);
        }
    }

    private List<String> commitLines(TableSpec table, long version) {
        Path file = new Path(store.lake().path(table), "_delta_log/" + String.format("%020d", version) + ".json");
        try {
            FileSystem fs = file.getFileSystem(context.spark().sparkContext().hadoopConfiguration());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The data files below a table's folder (everything but its log), and their bytes. */
    record Usage(long files, long bytes) {
    }

    static Usage usage(FileSystem fs, Path root) throws IOException {
        long files = 0;
        long bytes = 0;
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(root, true);
        while (all.hasNext()) {
            FileStatus file = all.next();
            if (!file.getPath().toString().contains("/_delta_log/") && file.getPath().getName().endsWith(".parquet")) {
                files++;
                bytes += file.getLen();
            }
        }
        return new Usage(files, bytes);
    }

    private Usage usage(String path) {
        Path root = new Path(path);
        try {
            return usage(root.getFileSystem(context.spark().sparkContext().hadoopConfiguration()), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
