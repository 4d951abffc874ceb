package io.beatline.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The types a CRM custom field can be given in {@code crm.custom-fields}. */
public enum CustomFieldType {
    STRING, LONG, DOUBLE, BOOLEAN, DATE, TIMESTAMP;

    public static String names() {
        return Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
