package io.beatline.core;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a run saw: the version of every Delta table in the lake (the newest commit file of its
 * {@code _delta_log}, found by listing, without reading any table), the config hash, the build's
 * version and a signature of the landed input. Two equal fingerprints mean that no input, table,
 * setting or code changed in between. The logs of runs are left out: every run appends to the run
 * log and to meta/check_results.
 */
public final class LakeVersions {

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");

    /** The tables every run appends to (the run log, meta/check_results), by path below the lake. */
    private static final Set<String> RUN_LOGS = Set.of(PipelineRuns.TABLE.relativePath(), "meta/check_results");

    private LakeVersions() {
    }

    /**
     * {@code config <hash>; version <v>; landed <landed>; <layer>/<table>@<version>, ...}, tables
     * sorted by path; {@code landed} says what the caller saw of the raw zone.
     */
    public static String fingerprint(JobContext context, String landed) {
        return fingerprint(context.store().lake(), context.spark().sparkContext().hadoopConfiguration(), context.config().hash(),
                context.version(), landed);
    }

    /** {@link #fingerprint(JobContext, String)} from the file system alone, before any SparkSession exists. */
    public static String fingerprint(Lake lake, Configuration hadoop, String configHash, String version, String landed) {
        String tables = versions(lake, hadoop).entrySet().stream().map(e -> e.getKey() + "@" + e.getValue())
                .collect(Collectors.joining(", "));
        return "config " + configHash + "; version " + version + "; landed " + landed + "; " + tables;
    }

    /** Every table below the lake root ({@code <layer>/<table>}) with its latest version. */
    static Map<String, Long> versions(Lake lake, Configuration hadoop) {
        Map<String, Long> versions = new TreeMap<>();
        Path root = new Path(lake.root());
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            for (FileStatus layer : list(fs, root)) {
                if (!layer.isDirectory()) {
                    continue;
                }
                for (FileStatus table : list(fs, layer.getPath())) {
                    String name = layer.getPath().getName() + "/" + table.getPath().getName();
                    if (!table.isDirectory() || RUN_LOGS.contains(name)) {
                        continue;
                    }
                    long version = latestVersion(fs, table.getPath());
                    if (version >= 0) {
                        versions.put(name, version);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lake " + lake.root() + ": " + e.getMessage(), e);
        }
        return versions;
    }

    /** The newest commit of the Delta table at {@code table}, -1 when it has none. */
    static long latestVersion(FileSystem fs, Path table) throws IOException {
        long version = -1;
        for (FileStatus file : list(fs, new Path(table, "_delta_log"))) {
            Matcher commit = COMMIT.matcher(file.getPath().getName());
            if (commit.matches()) {
                version = Math.max(version, Long.parseLong(commit.group(1)));
            }
        }
        return version;
    }

    private static FileStatus[] list(FileSystem fs, Path path) throws IOException {
        try {
            return fs.listStatus(path);
        } catch (FileNotFoundException absent) {
            return new FileStatus[0];
        }
    }
}
