package io.beatline.crm;

import java.time.LocalDate;
import java.util.Map;

/**
 * One record of a CRM file as read: its raw text, its values by (normalised) column name, and
 * the problem that made it unreadable ({@code malformed_row}, {@code unsupported_file}, ...) or null.
 */
public record CrmRecord(LocalDate snapshotDate, String sourceFile, long recordNumber, String raw,
                        Map<String, String> values, String problem) {
}
