package io.beatline.config;

import java.util.List;
import java.util.Map;

/**
 * Config {@code input.events.fields}: the name (or dotted path, e.g. {@code context.groupId}) in
 * the raw JSON of each of beatline's event fields, so Segment or RudderStack dumps load as they are.
 */
public record EventFieldMapping(Map<String, String> sourceByField) {

    /** beatline's own event fields, in the order of SPEC 2.1. */
    public static final List<String> FIELDS =
            List.of("event_id", "event", "user_id", "anonymous_id", "account_id", "timestamp", "properties");

    public EventFieldMapping {
        sourceByField = Map.copyOf(sourceByField);
        for (String field : FIELDS) {
            if (!sourceByField.containsKey(field)) {
                throw new IllegalArgumentException("no source for event field " + field);
            }
        }
    }

    public String sourceOf(String field) {
        return sourceByField.get(field);
    }
}
