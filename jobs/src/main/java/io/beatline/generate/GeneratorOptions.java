package io.beatline.generate;

import java.time.LocalDate;

/**
 * What {@link DataGenerator} makes: {@code users} end users in {@code accounts} companies, over
 * {@code days} landing dates ending on {@code endDate}, about {@code eventsPerDay} events a day
 * spread over {@code filesPerDay} gzip JSON-lines files; everything follows from {@code seed}.
 * {@code anonymousShare} of the users' events are sent logged out, with only their device's
 * anonymous id (identity stitching has that much to do); 0 sends every event with its user_id.
 */
public record GeneratorOptions(
        String out,
        int users,
        int accounts,
        int days,
        int eventsPerDay,
        int filesPerDay,
        long seed,
        LocalDate endDate,
        int crmEveryDays,
        double anonymousShare) {

    public GeneratorOptions {
        if (users < 1 || accounts < 1 || days < 1 || eventsPerDay < 0 || filesPerDay < 1 || crmEveryDays < 1) {
            throw new IllegalArgumentException("users, accounts, days, files-per-day and crm-every-days must be positive");
        }
        if (anonymousShare < 0 || anonymousShare >= 1) {
            throw new IllegalArgumentException("anonymous-share is a share of the events, at least 0 and below 1");
        }
        if (accounts > users) {
            throw new IllegalArgumentException("need at least one user per account (users >= accounts)");
        }
    }

    public LocalDate startDate() {
        return endDate.minusDays(days - 1L);
    }
}
