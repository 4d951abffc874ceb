package io.beatline.config;

import io.beatline.core.Hashes;

/**
 * One segment (persona) of config {@code segments} (SPEC 3.4): who is in it is decided by
 * {@code rule} over the profiles of {@code entity}. {@code location} is the file and line of
 * its definition.
 */
public record SegmentDefinition(String id, String name, String description, EntityType entity, SegmentRule rule,
                                String location) {

    /** The rule's canonical JSON (keys sorted, defaults filled in), stored in segment_definitions. */
    public String canonicalRule() {
        return rule.toJson();
    }

    /** A short hash of the canonical rule: it changes exactly when what decides membership changes. */
    public String ruleHash() {
        return Hashes.shortSha256(entity.configName() + ":" + canonicalRule());
    }
}
