package io.beatline.segments;

import static org.apache.spark.sql.types.DataTypes.DateType;

import io.beatline.core.ColumnRule;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/** {@code gold/segment_membership}: one row per segment member on an as-of date, partitioned by as-of date. */
public final class SegmentMembership {

    public static final TableSpec TABLE = new TableSpec("gold", "segment_membership",
            SegmentColumns.member(new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date")),
            List.of("as_of_date", "segment_id", "entity_type", "entity_id"),
            List.of("as_of_date"),
            "one row per segment and member on the as-of date")
            .withRules(ColumnRule.oneOf("entity_type", List.of("user", "account")));

    private SegmentMembership() {
    }
}
