package io.beatline.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.cli.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A lake built from the bundled data-samples/ with the shipped configuration, once per test JVM
 * and shared by the integration tests that only read it (Trino, PostgreSQL, Delta Kernel): the
 * README's daily runs for 2026-06-29 and then 2026-06-30, so every table exists and the gold
 * tables hold two as-of dates. A test that changes the lake works on a copy ({@link #copyTo}).
 */
public final class SampleLake {

    public static final Path SHIPPED_CONFIG = BeatlineProcesses.ROOT.resolve("conf/application.conf");
    public static final Path SAMPLES = BeatlineProcesses.ROOT.resolve("data-samples/raw");
    public static final List<String> DATES = List.of("2026-06-29", "2026-06-30");

    private static TestLake lake;
    private static List<Cli> runs;

    private SampleLake() {
    }

    public static synchronized TestLake get() {
        if (lake == null) {
            try {
                Path root = Files.createTempDirectory("beatline-sample-lake");
                deleteOnExit(root);
                TestLake built = new TestLake(root);
                List<Cli> done = new ArrayList<>();
                for (String date : DATES) {
                    Cli run = Cli.run(args(built, "run", "--as-of", date));
                    assertEquals(0, run.exitCode(), "the sample run for " + date + " failed: " + run.err());
                    done.add(run);
                }
                runs = List.copyOf(done);
                lake = built;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lake;
    }

    /** What the runs that built the lake printed and returned, one per date of {@link #DATES}. */
    public static synchronized List<Cli> runs() {
        get();
        return runs;
    }

    /**
     * A copy of the sample lake under {@code root} (its {@code lake/} folder, without a Trino
     * metastore a test may have left there), for a test that goes on writing to it.
     */
    public static TestLake copyTo(Path root) {
        TestLake source = get();
        TestLake copy = new TestLake(root);
        try (Stream<Path> paths = Files.walk(source.lake)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path relative = source.lake.relativize(path);
                if (relative.startsWith("_trino_metastore")) {
                    continue;
                }
                Path target = copy.lake.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    /** {@code command} with the shipped config pointed at the sample raw zone and {@code lake}. */
    public static String[] args(TestLake lake, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(configArgs(lake));
        return args.toArray(String[]::new);
    }

    /** The options that point the shipped config at the samples and {@code lake}, for any beatline command. */
    public static List<String> configArgs(TestLake lake) {
        return List.of("--config", SHIPPED_CONFIG.toString(), "--conf", "raw=\"" + SAMPLES + "\"",
                "--conf", "lake=\"" + lake.lake + "\"", "--conf", "spark.conf.\"spark.sql.shuffle.partitions\"=2");
    }

    /** Deletes {@code root} when the test JVM ends. */
    static void deleteOnExit(Path root) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is no failure
        }
    }
}
