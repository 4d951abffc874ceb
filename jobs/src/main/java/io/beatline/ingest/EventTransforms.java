package io.beatline.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.beatline.config.EventFieldMapping;
import io.beatline.config.EventsConfig;
import io.beatline.core.Columns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.sketch.BloomFilter;

/**
 * The pure steps of event ingestion, each {@code Dataset<Row> -> Dataset<Row>} with no I/O:
 * parse raw lines, give each a quarantine reason (or none), mark duplicates, and score accepted
 * events with their weight. One exception: {@link #bloomFilter} runs a Spark job over its rows
 * (no I/O of its own) and returns the filter {@link #mightBeIn} applies.
 */
public final class EventTransforms {

    /** Per-row outcome of ingestion. */
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATE = "duplicate";
    public static final String QUARANTINED = "quarantined";

    private static final String CORRUPT_RECORD = "_corrupt_record";

    private EventTransforms() {
    }

    /** Events before this instant are {@code too_old_timestamp}: placeholders, or epoch seconds read as millis. */
    static final java.sql.Timestamp OLDEST = java.sql.Timestamp.from(java.time.Instant.parse("2000-01-01T00:00:00Z"));

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
                .when(col("ts").lt(lit(OLDEST)), lit("too_old_timestamp"))
                .when(to_date(col("ts")).gt(date_add(col("landing_date"), 1)), lit("future_timestamp"));
        // a valid event keeps a hash of its line (the tie-break among its deliveries), not the line
        return fields
                .withColumn("event_date", to_date(col("ts")))
                .withColumn("reason", reason)
                .withColumn("line_hash", xxhash64(col("value")))
                .withColumn("value", when(col("reason").isNotNull(), col("value")))
                .drop("corrupt");
    }

    /**
     * The event_ids among the valid rows of {@code parsed} that need more than a glance: delivered
     * more than once in this batch, or already in {@code existingEventIds} ({@code known}). Every
     * other valid row is the one and only delivery of its event. Usually a small share of the batch.
     * One shuffle of the batch's ids and the existing ones together; an existing id the batch does
     * not hold is dropped after it.
     */
    public static Dataset<Row> contestedIds(Dataset<Row> parsed, Dataset<Row> existingEventIds) {
        Dataset<Row> delivered = parsed.filter(col("reason").isNull())
                .select(col("event_id"), lit(1L).as("deliveries"), lit(false).as("known"));
        Dataset<Row> existing = existingEventIds.select(col("event_id"), lit(0L).as("deliveries"), lit(true).as("known"));
        return delivered.unionByName(existing).groupBy("event_id")
                .agg(sum("deliveries").as("deliveries"), max("known").as("known"))
                .filter(col("deliveries").gt(1).or(col("known").and(col("deliveries").gt(0))))
                .select("event_id", "known");
    }

    /**
     * A Bloom filter of the non-null strings of {@code column}, each partition's built where it is
     * and merged on the driver: a string of the rows always "might be contained"; another one is
     * with a probability of about {@code falsePositives}.
     */
    public static BloomFilter bloomFilter(Dataset<Row> rows, String column, long expected, double falsePositives) {
        long items = Math.max(1, expected);
        return rows.select(col(column)).as(Encoders.STRING()).javaRDD().mapPartitions(values -> {
            BloomFilter filter = BloomFilter.create(items, falsePositives);
            values.forEachRemaining(value -> {
                if (value != null) {
                    filter.putString(value);
                }
            });
            return List.of(filter).iterator();
        }).reduce(BloomFilter::mergeInPlace);
    }

    /** The rows whose {@code column} might be in {@code filter} (every row whose value was put in it, and a few more). */
    public static Dataset<Row> mightBeIn(Dataset<Row> rows, String column, BloomFilter filter) {
        UserDefinedFunction mightContain = udf((UDF1<String, Boolean>) value -> value != null && filter.mightContainString(value),
                DataTypes.BooleanType);
        return rows.filter(mightContain.apply(col(column)));
    }

    /**
     * Adds {@code status}: quarantined rows keep their reason; a valid row whose event_id is not in
     * {@code contested} (see {@link #contestedIds}) is accepted; of the rows of a contested
     * event_id, the first (by landing date, source file, then a hash of the raw line) is accepted
     * unless the event_id is known already, and the rest are duplicates. {@code smallContested}
     * broadcasts the contested ids, so that the other rows are decided without a shuffle.
     */
    public static Dataset<Row> classify(Dataset<Row> parsed, Dataset<Row> contested, boolean smallContested) {
        Dataset<Row> ids = contested.select(col("event_id").as("contested_id"), col("known"));
        Dataset<Row> marked = parsed.filter(col("reason").isNull())
                .join(smallContested ? broadcast(ids) : ids, col("event_id").equalTo(col("contested_id")), "left");
        Dataset<Row> clear = marked.filter(col("contested_id").isNull()).withColumn("status", lit(ACCEPTED));
        Column firstDelivery = row_number().over(
                Window.partitionBy("event_id").orderBy("landing_date", "source_file", "line_hash"));
        Dataset<Row> decided = marked.filter(col("contested_id").isNotNull())
                .withColumn("status", when(firstDelivery.equalTo(1).and(not(col("known"))), lit(ACCEPTED))
                        .otherwise(lit(DUPLICATE)));
        Dataset<Row> rejected = parsed.filter(col("reason").isNotNull()).withColumn("status", lit(QUARANTINED));
        return clear.unionByName(decided).drop("contested_id", "known").unionByName(rejected)
                .drop("line_hash");
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
    public static StructType jsonSchema(EventFieldMapping mapping) {
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
