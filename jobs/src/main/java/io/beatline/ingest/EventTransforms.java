package io.beatline.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.beatline.config.EventFieldMapping;
import io.beatline.config.EventsConfig;
import io.beatline.core.Columns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The pure steps of event ingestion, each {@code Dataset<Row> -> Dataset<Row>} with no I/O:
 * parse raw lines, give each a quarantine reason (or none), mark duplicates, and score accepted
 * events with their weight.
 */
public final class EventTransforms {

    /** Per-row outcome of ingestion. */
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String QUARANTINED = "quarantined";

    private static final String CORRUPT_RECORD = "_corrupt_record";

    private EventTransforms() {
    }

    /**
     * Raw lines ({@code value}, {@code source_file}, {@code landing_date}) to the event fields of
     * SPEC 2.1 plus {@code ts}, {@code event_date} and {@code reason} (null for a valid event).
     * Dates are taken in the session time zone.
     */
    public static Dataset<Row> parse(Dataset<Row> lines, EventFieldMapping mapping) {
        StructType schema = jsonSchema(mapping).add(CORRUPT_RECORD, DataTypes.StringType);
        Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD);
        Dataset<Row> parsed = lines.withColumn("json", from_json(col("value"), schema, options));

        Column ts = Columns.parseTimestamp(field(mapping, "timestamp"));
        Dataset<Row> fields = parsed.select(
                col("value"),
                col("source_file"),
                col("landing_date"),
                col("json").getField(CORRUPT_RECORD).as("corrupt"),
                Columns.blankToNull(field(mapping, "event_id")).as("event_id"),
                Columns.blankToNull(field(mapping, "event")).as("event"),
                Columns.blankToNull(field(mapping, "user_id")).as("user_id"),
                Columns.blankToNull(field(mapping, "anonymous_id")).as("anonymous_id"),
                Columns.blankToNull(field(mapping, "account_id")).as("account_id"),
                field(mapping, "properties").as("properties"),
                ts.as("ts"));

        Column reason = when(col("corrupt").isNotNull(), lit("malformed_json"))
                .when(col("event_id").isNull(), lit("missing_event_id"))
                .when(col("event").isNull(), lit("missing_event"))
                .when(col("user_id").isNull().and(col("anonymous_id").isNull()), lit("missing_identity"))
                .when(col("ts").isNull(), lit("bad_timestamp"))
                .when(to_date(col("ts")).gt(date_add(col("landing_date"), 1)), lit("future_timestamp"));
        return fields
                .withColumn("event_date", to_date(col("ts")))
                .withColumn("reason", reason)
                .drop("corrupt");
    }

    /**
     * Adds {@code status}: quarantined rows keep their reason; of several valid rows with one
     * event_id the first (by landing date, source file, then raw line) is accepted and the rest
     * are duplicates; so is a valid row whose event_id is already in {@code existingEventIds}.
     */
    public static Dataset<Row> classify(Dataset<Row> parsed, Dataset<Row> existingEventIds) {
        Dataset<Row> known = existingEventIds.select(col("event_id").as("known_event_id")).distinct();
        Column firstDelivery = row_number().over(Window.partitionBy("event_id").orderBy("landing_date", "source_file", "value"));
        Dataset<Row> valid = parsed.filter(col("reason").isNull())
                .withColumn("delivery", firstDelivery)
                .join(known, col("event_id").equalTo(col("known_event_id")), "left")
                .withColumn("status", when(col("delivery").equalTo(1).and(col("known_event_id").isNull()), lit(ACCEPTED))
                        .otherwise(lit(DUPLICATE)))
                .drop("delivery", "known_event_id");
        Dataset<Row> rejected = parsed.filter(col("reason").isNotNull()).withColumn("status", lit(QUARANTINED));
        return valid.unionByName(rejected);
    }

    /** Accepted events with weight, counted flag and lineage, in the columns of silver/events. */
    public static Dataset<Row> score(Dataset<Row> accepted, EventsConfig events, String runId) {
        Column weight = lit(events.defaultWeight());
        Map<String, Double> weights = new LinkedHashMap<>(events.weights());
        if (!weights.isEmpty()) {
            Column byEvent = null;
            for (Map.Entry<String, Double> entry : weights.entrySet()) {
                Column condition = col("event").equalTo(entry.getKey());
                byEvent = byEvent == null ? when(condition, lit(entry.getValue()))
                        : byEvent.when(condition, lit(entry.getValue()));
            }
            weight = byEvent.otherwise(lit(events.defaultWeight()));
        }
        Column counted = events.excluded().isEmpty() ? lit(true)
                : col("event").isin(events.excluded().toArray()).unary_$bang();
        return accepted
                .withColumn("weight", weight.cast(DataTypes.DoubleType))
                .withColumn("counted", counted)
                .withColumn("run_id", lit(runId));
    }

    /** Quarantined rows in the columns of silver/events_quarantine. */
    public static Dataset<Row> quarantineRows(Dataset<Row> quarantined, String runId) {
        return quarantined.select(
                col("landing_date"),
                col("source_file"),
                col("value").as("raw"),
                col("reason"),
                lit(runId).as("run_id"));
    }

    /** The JSON schema that reads exactly the mapped fields; dotted sources become nested structs. */
    static StructType jsonSchema(EventFieldMapping mapping) {
        StructType schema = new StructType();
        for (String eventField : EventFieldMapping.FIELDS) {
            DataType leaf = eventField.equals("properties")
                    ? DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)
                    : DataTypes.StringType;
            schema = addPath(schema, List.of(mapping.sourceOf(eventField).split("\\.")), leaf);
        }
        return schema;
    }

    private static StructType addPath(StructType struct, List<String> path, DataType leaf) {
        String head = path.get(0);
        StructField existing = struct.getFieldIndex(head).isDefined() ? struct.apply(head) : null;
        if (path.size() == 1) {
            return existing == null ? struct.add(head, leaf) : struct;
        }
        StructType child = existing != null && existing.dataType() instanceof StructType s ? s : new StructType();
        StructType updated = addPath(child, path.subList(1, path.size()), leaf);
        StructType result = new StructType();
        boolean replaced = false;
        for (StructField f : struct.fields()) {
            if (f.name().equals(head)) {
                result = result.add(head, updated);
                replaced = true;
            } else {
                result = result.add(f);
            }
        }
        return replaced ? result : result.add(head, updated);
    }

    private static Column field(EventFieldMapping mapping, String eventField) {
        Column c = col("json");
        for (String part : mapping.sourceOf(eventField).split("\\.")) {
            c = c.getField(part);
        }
        return c;
    }
}
