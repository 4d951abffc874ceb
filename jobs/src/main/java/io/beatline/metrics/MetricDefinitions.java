package io.beatline.metrics;

import static org.apache.spark.sql.types.DataTypes.StringType;

import io.beatline.config.MetricDefinition;
import io.beatline.core.Hashes;
import io.beatline.core.TableSpec;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** {@code gold/metric_definitions}: one row per calculated metric in the current config. */
public final class MetricDefinitions {

    public static final TableSpec TABLE = new TableSpec("gold", "metric_definitions",
            new StructType()
                    .add("metric", StringType, false,
                            "the name")
                    .add("entity_type", StringType, false,
                            "`account` or `user`")
                    .add("definition", StringType, false,
                            "the definition as JSON")
                    .add("hash", StringType, false,
                            "changes when the definition changes"),
            List.of("metric"),
            List.of(),
            "one row per metric of the current configuration");

    private MetricDefinitions() {
    }

    public static List<Row> rows(List<MetricDefinition> metrics) {
        return metrics.stream().map(m -> RowFactory.create(m.name(), m.entity().configName(), m.definition(),
                Hashes.shortSha256(m.definition()))).toList();
    }
}
