package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.ConfigLoader;
import io.beatline.core.JobContext;
import io.beatline.core.SparkSessions;
import io.beatline.pipeline.ConfigCheck;
import io.beatline.segments.SegmentEvaluation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options every command takes to find its configuration. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON config file (default: -Dconfig.file, else conf/application.conf, else built-in defaults).")
    Path file;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --conf time-zone=Europe/Paris (repeatable).")
    List<String> overrides = new ArrayList<>();

    /** Read from the parse result by Beatline's error handler, which prints the stack traces. */
    @Option(names = "--verbose", description = "Print stack traces of errors, and Spark's, Hadoop's and Delta's own warnings.")
    boolean verbose;

    /** The loggers conf/log4j2.properties quiets to errors, which {@code --verbose} opens to warnings again. */
    static final List<String> QUIETED = List.of("org.apache.spark", "org.apache.hadoop");

    /**
     * The config, validated, and then the SparkSession and job context built on it; the checks
     * that need Spark (metric values, health sources, segment {@code where}) run here, before any
     * stage of any command.
     */
    public JobContext context() {
        return context(load());
    }

    /** {@link #context()} for a config {@link #load} returned. */
    public JobContext context(BeatlineConfig config) {
        SparkSession spark = SparkSessions.create(config);
        ConfigCheck.check(spark, config);
        return JobContext.create(spark, config);
    }

    public BeatlineConfig load() {
        if (verbose) {
            QUIETED.forEach(logger -> Configurator.setLevel(logger, Level.WARN));
        }
        BeatlineConfig config = ConfigLoader.load(Optional.ofNullable(file), overrides);
        SegmentEvaluation.check(config); // fields, operators and values of every segment, before any Spark work
        return config;
    }
}
