package io.beatline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.metrics.MetricDefinitions;
import io.beatline.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * The shipped config's lake is relative (`lake = "lake"`): tables are created there. Before this
 * test, the first write failed with "[SCHEMA_NOT_FOUND] The schema `spark_catalog`.`delta` cannot
 * be found" (Delta reads delta.`lake/...` as a table, not a path) and the README's command failed.
 */
class LakeTest {

    @Test
    void aRelativeLakeIsMadeAbsoluteAndItsTablesAreCreated() throws Exception {
        String relative = "target/relative-lake-" + UUID.randomUUID();
        Lake lake = new Lake(relative + "/");
        assertEquals(Path.of(relative).toAbsolutePath().normalize().toString(), lake.root());
        assertEquals("s3a://bucket/lake", new Lake("s3a://bucket/lake/").root(), "a URI stays as it is");

        TableStore store = new TableStore(TestSpark.session(), lake);
        var definitions = TestSpark.session().createDataFrame(List.of(RowFactory.create("m", "account", "{}", "h")),
                MetricDefinitions.TABLE.schema());
        assertEquals(1, store.replaceAll(MetricDefinitions.TABLE, definitions));
        assertTrue(Files.isDirectory(Path.of(relative, "gold/metric_definitions/_delta_log")));
        assertEquals(1, store.read(MetricDefinitions.TABLE).count());
    }
}
