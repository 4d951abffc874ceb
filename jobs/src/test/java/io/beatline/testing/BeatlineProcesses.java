package io.beatline.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.core.Lake;
import io.beatline.core.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * For the integration tests that run beatline (or Spark itself) in JVMs of their own: the
 * build's jars and JVM options, a small raw zone cut from data-samples/, and table comparison.
 * They run after `package`, so jobs/target holds the jars and the classpath files.
 */
public final class BeatlineProcesses {

    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final Path TARGET = ROOT.resolve("jobs/target");

    private BeatlineProcesses() {
    }

    /** The JVM options Spark needs on Java 17 (the --add-opens list). */
    public static List<String> jvmOptions() {
        return Arrays.asList(read(TARGET.resolve("jvm-options.txt")).trim().split("\\s+"));
    }

    /** Groups the cluster jar leaves out because a Spark 4.1 distribution ships them (the shade plugin's excludes). */
    private static final List<String> DISTRIBUTION_GROUPS = List.of("org.apache.spark", "org.scala-lang",
            "org.scala-lang.modules", "org.apache.parquet", "com.fasterxml.jackson.core", "com.fasterxml.jackson.module",
            "org.slf4j", "org.apache.logging.log4j", "org.xerial.snappy", "org.roaringbitmap", "io.airlift",
            "com.google.code.findbugs", "javax.annotation", "org.locationtech.jts", "io.netty", "com.google.protobuf",
            "commons-codec");

    /**
     * The jars of a Spark distribution: Spark and what it brings (the provided class path), plus
     * those of our runtime class path that the cluster jar leaves to the cluster (Scala, Parquet,
     * Jackson, ...). Delta, hadoop-aws and the rest must come from the cluster jar.
     */
    public static List<String> sparkJars() {
        List<String> jars = new ArrayList<>(Arrays.asList(read(TARGET.resolve("classpath-provided.txt")).trim().split(":")));
        for (String jar : read(TARGET.resolve("classpath-runtime.txt")).trim().split(":")) {
            Path version = Path.of(jar).getParent();
            Path artifact = version.getParent();
            String group = artifact.getParent().toString().replaceFirst("^.*/repository/", "").replace('/', '.');
            String name = artifact.getFileName().toString();
            if (DISTRIBUTION_GROUPS.contains(group) || name.equals("hadoop-client-api") || name.equals("hadoop-client-runtime")) {
                jars.add(jar);
            }
        }
        return jars;
    }

    /** `java` with the options and class path scripts/beatline uses, running {@code mainClass}. */
    public static List<String> javaCommand(String mainClass) {
        return java(TARGET.resolve("beatline-jobs.jar") + ":" + read(TARGET.resolve("classpath-runtime.txt")).trim()
                + ":" + read(TARGET.resolve("classpath-provided.txt")).trim(), "2g", ROOT.resolve("conf/log4j2.properties"),
                mainClass);
    }

    /**
     * JIT options for the short JVMs the tests start: on their tiny data the C2 compiler's threads
     * took more CPU than the work itself (a cold `ingest-events` of 1,214 events: 100 s of CPU, 51 s
     * with C1 only, docs/benchmarks.md). The long test JVMs keep both compilers at the JVM's
     * defaults: C1 only made EventsIngestTest's JVM slower, and C2 four times later made the
     * integration tests' JVM slower (MetricsIT 111 -> 162 s). The product's launcher keeps both,
     * with C2 four times later (scripts/beatline), which made the daily run 4-5% faster.
     */
    public static final List<String> SHORT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    /** `java` on Java 17 with Spark's JVM options, a heap, a log4j2 configuration and a class path. */
    public static List<String> java(String classPath, String heap, Path log4j, String mainClass) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions());
        command.addAll(SHORT_JVM_OPTIONS);
        command.addAll(List.of("-Xmx" + heap, "-Dlog4j2.configurationFile=" + log4j, "-cp", classPath, mainClass));
        return command;
    }

    /** A raw zone of the samples' last six days of events (2026-06-25..30) and every CRM snapshot. */
    public static Path recentSamples(Path dir) {
        Path raw = dir.resolve("raw");
        Path samples = ROOT.resolve("data-samples/raw");
        try (Stream<Path> files = Files.walk(samples)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = samples.relativize(file).toString();
                if (relative.matches("events/dt=2026-06-(2[5-9]|30)/.*") || relative.startsWith("crm/")) {
                    Path target = raw.resolve(relative);
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return raw;
    }

    /** A table's rows as sorted text, without the columns that name a run or a file path. */
    public static List<String> rows(Path lake, TableSpec table) {
        Dataset<Row> rows = TestSpark.session().read().format("delta").load(new Lake(lake.toString()).path(table));
        for (String column : List.of("run_id", "source_file")) {
            if (Arrays.asList(rows.columns()).contains(column)) {
                rows = rows.drop(column);
            }
        }
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    public static void assertSameTables(Path expected, Path actual, List<TableSpec> tables) {
        for (TableSpec table : tables) {
            List<String> want = rows(expected, table);
            List<String> got = rows(actual, table);
            assertEquals(want.size(), got.size(), table.name() + ": row count");
            assertEquals(want, got, table.name() + ": rows");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
