package io.beatline.config;

import java.time.ZoneId;

/**
 * The whole configuration, loaded once by {@link ConfigLoader} and validated before any Spark
 * work starts. {@code origin} names where it came from, for messages; {@code hash} identifies it
 * in the run log (secrets left out).
 */
public record BeatlineConfig(
        String raw,
        String lake,
        ZoneId timeZone,
        EventsConfig events,
        EventFieldMapping eventFields,
        boolean requireLandedInput,
        S3Config s3,
        SparkSettings spark,
        String origin,
        String hash) {
}
