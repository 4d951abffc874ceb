package io.beatline.config;

/**
 * Config {@code maintenance}: how old (in hours) a file no table version needs any more must be
 * before {@code beatline maintain} deletes it; time travel reaches back this far.
 */
public record MaintenanceConfig(int retainHours) {

    /** Delta's own safe minimum (its retention check refuses less by default): a week. */
    public static final int SAFE_MINIMUM_HOURS = 168;
}
