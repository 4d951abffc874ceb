package io.beatline.core;

import io.beatline.config.BeatlineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * What every job gets: the session, the validated config, the table store, the build's version,
 * and the scope its command's jobs share (nesting, deferred run-log rows). One per command.
 */
public record JobContext(SparkSession spark, BeatlineConfig config, TableStore store, String version, RunScope scope) {

    public static JobContext create(SparkSession spark, BeatlineConfig config) {
        SparkSessions.configure(spark, config);
        return new JobContext(spark, config, new TableStore(spark, new Lake(config.lake())), buildVersion(), new RunScope());
    }

    public static String buildVersion() {
        try (InputStream in = JobContext.class.getClassLoader().getResourceAsStream("beatline-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
