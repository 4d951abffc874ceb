package io.beatline.config;

/**
 * Config {@code checks}: what a failed data-quality check does ({@code mode}: fail the run, or
 * warn), and the day-over-day guard: the largest change in percent it lets pass
 * ({@code max-change-pct}), how many days back its baseline date is ({@code baseline-days}), and
 * the smallest baseline figure it guards ({@code min-base}).
 */
public record ChecksConfig(Mode mode, double maxChangePct, int baselineDays, long minBase) {

    /** What a failed check does. */
    public enum Mode {
        ENFORCE, WARN
    }
}
