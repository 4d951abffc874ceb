package io.beatline.config;

import java.util.List;

/**
 * Config {@code engagement}, {@code onboarding} and {@code nps}: the beats window, the
 * onboarding steps a user should do, and how far back NPS responses count.
 */
public record EngagementConfig(int beatsWindowDays, List<String> onboardingEvents, int npsWindowDays) {

    public EngagementConfig {
        onboardingEvents = List.copyOf(onboardingEvents);
    }
}
