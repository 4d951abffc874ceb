package io.beatline.config;

import java.util.Map;

/**
 * Config {@code spark}: the master used when not launched by spark-submit, and extra Spark
 * settings passed as they are.
 */
public record SparkSettings(String master, Map<String, String> conf) {

    public SparkSettings {
        conf = Map.copyOf(conf);
    }
}
