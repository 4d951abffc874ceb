package io.beatline.config;

import java.util.Map;
import java.util.Set;

/** Config {@code events}: how much each event counts, and which events do not count at all. */
public record EventsConfig(double defaultWeight, Map<String, Double> weights, Set<String> excluded) {

    public EventsConfig {
        weights = Map.copyOf(weights);
        excluded = Set.copyOf(excluded);
    }

    public double weightOf(String event) {
        return weights.getOrDefault(event, defaultWeight);
    }
}
