package io.beatline.segments;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.config.SegmentDefinition;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/segment_definitions}: one row per segment ever configured: its rule as canonical
 * JSON and its hash, the as-of date it was first run for, and the as-of date of the run that
 * first saw its current rule. A segment removed from the config keeps its row.
 */
public final class SegmentDefinitions {

    public static final TableSpec TABLE = new TableSpec("gold", "segment_definitions",
            new StructType()
                    .add("segment_id", StringType, false,
                            "the id")
                    .add("name", StringType, false,
                            "the segment's name in the config now")
                    .add("description", StringType, false,
                            "the segment's description in the config now")
                    .add("entity_type", StringType, false,
                            "`user` or `account`")
                    .add("rule", StringType, false,
                            "the rule as canonical JSON: keys sorted, defaults filled in (`at-least: 1`, ...)")
                    .add("rule_hash", StringType, false,
                            "a hash of the entity and the rule; it changes exactly when membership logic changes")
                    .add("first_seen", DateType, false,
                            "the earliest as-of date the segment was computed for")
                    .add("last_changed", DateType, false,
                            "the as-of date of the run that first saw the current rule"),
            List.of("segment_id"),
            List.of(),
            "one row per segment ever configured");

    private SegmentDefinitions() {
    }

    /**
     * The table after a run for {@code asOf} with {@code segments}: new segments first seen on
     * asOf; a changed rule (or entity) last changed on asOf; name and description as configured now;
     * a rerun of an earlier date moves first_seen back, never forward.
     */
    public static List<Row> merge(List<Row> existing, List<SegmentDefinition> segments, LocalDate asOf) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Row row : existing) {
            rows.put(row.getAs("segment_id"), row);
        }
        Date today = Date.valueOf(asOf);
        for (SegmentDefinition segment : segments) {
            Row before = rows.get(segment.id());
            Date firstSeen = today;
            Date lastChanged = today;
            if (before != null) {
                Date seen = before.getAs("first_seen");
                firstSeen = seen.before(today) ? seen : today;
                lastChanged = before.<String>getAs("rule_hash").equals(segment.ruleHash()) ? before.getAs("last_changed") : today;
            }
            rows.put(segment.id(), RowFactory.create(segment.id(), segment.name(), segment.description(),
                    segment.entity().configName(), segment.canonicalRule(), segment.ruleHash(), firstSeen, lastChanged));
        }
        return new ArrayList<>(rows.values());
    }
}
