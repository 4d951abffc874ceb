package io.beatline.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((entity.configName() + ":" + canonicalRule()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
