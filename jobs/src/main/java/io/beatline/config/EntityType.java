package io.beatline.config;

import java.util.Locale;

/** What a metric, a health score or a segment is about: a user or an account. */
public enum EntityType {
    USER, ACCOUNT;

    /** The name in config and in the tables' entity_type columns. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
