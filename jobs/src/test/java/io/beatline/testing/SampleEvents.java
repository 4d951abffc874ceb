package io.beatline.testing;

/** Raw event lines shared by tests. */
public final class SampleEvents {

    /** u1 logs in for account a1 at 2026-03-10T09:00Z. */
    public static final String E1 =
            "{\"event_id\":\"e1\",\"event\":\"login\",\"user_id\":\"u1\",\"account_id\":\"a1\",\"timestamp\":\"2026-03-10T09:00:00Z\"}";

    /** u3 logs in at 12:00 at +01:00, that is 11:00 UTC on 2026-03-10. */
    public static final String E11 =
            "{\"event_id\":\"e11\",\"event\":\"login\",\"user_id\":\"u3\",\"timestamp\":\"2026-03-10T12:00:00+01:00\"}";

    private SampleEvents() {
    }
}
