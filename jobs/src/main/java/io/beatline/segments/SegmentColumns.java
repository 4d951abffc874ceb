package io.beatline.segments;

import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;

/** The columns that name a segment, and one of its members, with their words: the same in every segment table. */
final class SegmentColumns {

    private SegmentColumns() {
    }

    /** {@code schema} + segment_id, entity_type. */
    static StructType segment(StructType schema) {
        return schema.add("segment_id", StringType, false, "the segment's id in the config")
                .add("entity_type", StringType, false, "`user` or `account`");
    }

    /** {@code schema} + segment_id, entity_type, entity_id. */
    static StructType member(StructType schema) {
        return segment(schema).add("entity_id", StringType, false, "the user_id or account_id");
    }
}
