package io.beatline.core;

import io.beatline.config.BeatlineConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession for a beatline process: Delta enabled, the configured extra settings,
 * and, when not launched by spark-submit, the configured master kept on loopback.
 */
public final class SparkSessions {

    private SparkSessions() {
    }

    public static SparkSession create(BeatlineConfig config) {
        SparkConf launched = new SparkConf(); // what spark-submit passed as spark.* system properties
        String master = launched.contains("spark.master") ? launched.get("spark.master") : config.spark().master();
        SparkSession.Builder builder = builder("beatline", master);
        for (Map.Entry<String, String> setting : config.spark().conf().entrySet()) {
            builder.config(setting.getKey(), setting.getValue());
        }
        SparkSession spark = builder.getOrCreate();
        configure(spark, config);
        return spark;
    }

    /**
     * A one-core local session with no UI, whatever master the config names: enough to resolve
     * expressions against empty frames (validate-config), never to read the lake.
     */
    public static SparkSession forChecks(BeatlineConfig config) {
        SparkSession spark = builder("beatline-validate-config", "local[1]")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        spark.conf().set("spark.sql.session.timeZone", config.timeZone().getId());
        return spark;
    }

    /** A builder with Delta enabled, kept on loopback for a local master. */
    private static SparkSession.Builder builder(String appName, String master) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName).master(master);
        if (master.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        for (Map.Entry<String, String> setting : deltaSettings().entrySet()) {
            builder.config(setting.getKey(), setting.getValue());
        }
        return builder;
    }

    /** The settings without which Delta tables cannot be read or written. */
    public static Map<String, String> deltaSettings() {
        return Map.of(
                "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
                "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }

    /**
     * The Hadoop settings a session built by {@link #create} would have, without starting one:
     * Hadoop's defaults, the {@code spark.hadoop.*} settings that spark-submit passed and the
     * config's {@code spark.conf} holds (the session copies them the same way), then how s3a://
     * is reached. For what a command decides from file listings alone (the no-op run).
     */
    public static Configuration hadoopConfiguration(BeatlineConfig config) {
        Configuration hadoop = new Configuration();
        Map<String, String> settings = new LinkedHashMap<>();
        for (scala.Tuple2<String, String> setting : new SparkConf().getAll()) {
            settings.put(setting._1(), setting._2());
        }
        settings.putAll(config.spark().conf());
        settings.forEach((key, value) -> {
            if (key.startsWith(SPARK_HADOOP)) {
                hadoop.set(key.substring(SPARK_HADOOP.length()), value);
            }
        });
        S3Settings.apply(config.s3(), hadoop);
        return hadoop;
    }

    private static final String SPARK_HADOOP = "spark.hadoop.";

    /**
     * Settings that follow the config and may change on a live session: the time zone every
     * date is taken in, and how s3a:// is reached.
     */
    public static void configure(SparkSession spark, BeatlineConfig config) {
        spark.conf().set("spark.sql.session.timeZone", config.timeZone().getId());
        S3Settings.apply(config.s3(), spark.sparkContext().hadoopConfiguration());
    }
}
