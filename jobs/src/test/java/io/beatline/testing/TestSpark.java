package io.beatline.testing;

import io.beatline.core.SparkSessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The one SparkSession of a test JVM: two local cores, few partitions, no UI, on loopback. */
public final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            SparkSession.Builder builder = SparkSession.builder()
                    .appName("beatline-tests")
                    .master("local[2]")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.databricks.delta.snapshotPartitions", "1")
                    .config("spark.sql.adaptive.coalescePartitions.initialPartitionNum", "2");
            for (Map.Entry<String, String> setting : SparkSessions.deltaSettings().entrySet()) {
                builder.config(setting.getKey(), setting.getValue());
            }
            session = builder.getOrCreate();
        }
        return session;
    }
}
