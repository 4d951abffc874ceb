package io.beatline.config;

import io.beatline.core.BeatlineException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, loaded once by {@link ConfigLoader} and validated before any Spark
 * work starts. {@code origin} names where it came from, for messages; {@code hash} identifies it
 * in the run log (secrets left out); {@code keyOrigins} where {@code raw} and {@code lake} were
 * set (file and line), for errors found later. {@code npsWindowDays} ({@code nps.window-days}): how far
 * back an account's NPS responses count.
 */
public record BeatlineConfig(
        String raw,
        String lake,
        ZoneId timeZone,
        EventsConfig events,
        EventFieldMapping eventFields,
        EngagementConfig engagement,
        int npsWindowDays,
        Map<String, Map<String, CustomFieldType>> crmCustomFields,
        List<MetricDefinition> metrics,
        Map<EntityType, List<HealthComponent>> health,
        List<SegmentDefinition> segments,
        boolean requireLandedInput,
        S3Config s3,
        SparkSettings spark,
        CatalogConfig catalog,
        ChecksConfig checks,
        MaintenanceConfig maintenance,
        String origin,
        Map<String, String> keyOrigins,
        String hash) {

    /**
     * A configuration error found after loading (a {@code raw} folder that does not exist), with
     * the file and line where {@code key} was set, as the loader's own errors say it.
     */
    public BeatlineException error(String key, String problem) {
        return BeatlineException.config(keyOrigins.getOrDefault(key, "Configuration error in " + origin + ": ")
                + "key '" + key + "': " + problem);
    }

    /** The configured type of a CRM custom column, string when not configured. */
    public CustomFieldType customFieldType(String entity, String column) {
        return crmCustomFields.getOrDefault(entity, Map.of()).getOrDefault(column, CustomFieldType.STRING);
    }
}
