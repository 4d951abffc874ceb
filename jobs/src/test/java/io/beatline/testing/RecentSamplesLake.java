package io.beatline.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.cli.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The samples' last six days ({@link BeatlineProcesses#recentSamples}) and the lake of one clean
 * `run --as-of 2026-06-30` over them with the shipped configuration, built once per test JVM: the
 * tests that run the same day another way (killed at every stage, on a standalone cluster) compare
 * their tables with it. Nothing may write to it.
 */
public final class RecentSamplesLake {

    public static final String AS_OF = "2026-06-30";

    private static Path raw;
    private static Path clean;

    private RecentSamplesLake() {
    }

    /** The raw zone every such run reads (the raw files' paths are in the tables compared). */
    public static synchronized Path raw() {
        if (raw == null) {
            try {
                Path root = Files.createTempDirectory("beatline-recent-samples");
                SampleLake.deleteOnExit(root);
                raw = BeatlineProcesses.recentSamples(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return raw;
    }

    /** The clean run's lake. */
    public static synchronized Path clean() {
        if (clean == null) {
            Path lake = raw().getParent().resolve("clean-lake");
            Cli run = Cli.run(runArgs(lake).toArray(String[]::new));
            assertEquals(0, run.exitCode(), "the clean run of the recent samples failed: " + run.err());
            clean = lake;
        }
        return clean;
    }

    /** `run --as-of 2026-06-30` over {@link #raw} into {@code lake}, two shuffle partitions, no UI. */
    public static List<String> runArgs(Path lake) {
        return List.of("run", "--as-of", AS_OF, "--config", BeatlineProcesses.ROOT.resolve("conf/application.conf").toString(),
                "--conf", "raw=\"" + raw() + "\"", "--conf", "lake=\"" + lake + "\"",
                "--conf", "spark.conf.\"spark.sql.shuffle.partitions\"=2",
                "--conf", "spark.conf.\"spark.ui.enabled\"=false");
    }
}
