package io.beatline.config;

/**
 * One component of a health score (config {@code health.<entity>.components.<name>}, SPEC 3.3):
 * its source (a calculated metric of the entity, or a column of its table), its weight, and the
 * values that score 100 ({@code good}) and 0 ({@code bad}); {@code good} may be below {@code bad}.
 */
public record HealthComponent(String name, String source, boolean sourceIsMetric, double weight, double good, double bad) {

    /** clamp((v - bad) / (good - bad), 0, 1) * 100 */
    public double score(double value) {
        return Math.max(0, Math.min(1, (value - bad) / (good - bad))) * 100;
    }
}
