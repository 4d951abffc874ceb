package io.beatline.config;

import java.util.List;

/**
 * Config {@code engagement} and {@code onboarding}: the beats window and the onboarding steps a
 * user should do.
 */
public record EngagementConfig(int beatsWindowDays, List<String> onboardingEvents) {

    public EngagementConfig {
        onboardingEvents = List.copyOf(onboardingEvents);
    }
}
