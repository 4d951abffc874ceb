package io.beatline.testing;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.ConfigLoader;
import io.beatline.core.JobContext;
import io.beatline.core.Lake;
import io.beatline.core.TableSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A raw zone and a lake in a temporary folder, with helpers to land hand-written files and to
 * build the config and job context that point at them.
 */
public final class TestLake {

    public final Path root;
    public final Path raw;
    public final Path lake;

    public TestLake(Path root) {
        this.root = root;
        this.raw = root.resolve("raw");
        this.lake = root.resolve("lake");
    }

    /** Lands {@code lines} as {@code raw/events/dt=date/file}; gzip when the name ends in .gz. */
    public Path landEvents(LocalDate date, String file, String... lines) {
        return land("events", date, file, String.join("\n", lines) + "\n");
    }

    public Path land(String source, LocalDate date, String file, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return landBytes(source, date, file, file.endsWith(".gz") ? gzip(bytes) : bytes);
    }

    public Path landBytes(String source, LocalDate date, String file, byte[] bytes) {
        Path target = raw.resolve(source).resolve("dt=" + date).resolve(file);
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static byte[] gzip(byte[] bytes) {
        try (var buffer = new java.io.ByteArrayOutputStream(); OutputStream out = new GZIPOutputStream(buffer)) {
            out.write(bytes);
            out.close();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The --conf overrides that point a config at this lake, plus {@code extra}. */
    public List<String> overrides(String... extra) {
        List<String> overrides = new ArrayList<>();
        overrides.add("raw=\"" + raw + "\"");
        overrides.add("lake=\"" + lake + "\"");
        overrides.add("spark.conf.\"spark.sql.shuffle.partitions\"=2");
        overrides.add("spark.conf.\"spark.databricks.delta.snapshotPartitions\"=1");
        overrides.addAll(Arrays.asList(extra));
        return overrides;
    }

    /** Built-in defaults (no config file) pointed at this lake, with {@code extra} overrides. */
    public BeatlineConfig config(String... extra) {
        return ConfigLoader.load(Optional.of(writeEmptyConfig()), overrides(extra));
    }

    /** {@code command} for {@code Cli.run} on the built-in defaults, pointed at this lake, with {@code extra} overrides. */
    public String[] cliArgs(List<String> command, String... extra) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--config", writeEmptyConfig().toString()));
        for (String override : overrides(extra)) {
            args.add("--conf");
            args.add(override);
        }
        return args.toArray(String[]::new);
    }

    public JobContext context(String... extra) {
        return JobContext.create(TestSpark.session(), config(extra));
    }

    public Dataset<Row> table(TableSpec table) {
        return TestSpark.session().read().format("delta").load(new Lake(lake.toString()).path(table));
    }

    public long version(TableSpec table) {
        return io.delta.tables.DeltaTable.forPath(TestSpark.session(), new Lake(lake.toString()).path(table))
                .history(1).select("version").first().getLong(0);
    }

    private Path writeEmptyConfig() {
        Path file = root.resolve("empty.conf");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(root);
                Files.writeString(file, "# test: built-in defaults\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
