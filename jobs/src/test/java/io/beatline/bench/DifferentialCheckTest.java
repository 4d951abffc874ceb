package io.beatline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.testing.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The benchmark's differential check finds every kind of difference, and only differences. */
class DifferentialCheckTest {

    private static Dataset<Row> rows(String values) {
        SparkSession spark = TestSpark.session();
        return spark.sql("SELECT * FROM VALUES " + values + " AS t(user_id, beats, lifecycle, products)");
    }

    private static List<String> compare(String pipeline, String reference) {
        return DifferentialCheck.differences("t", rows(pipeline), rows(reference), List.of("user_id"), 10);
    }

    @Test
    void equalRowsPassWithinTheToleranceOfSummingInAnotherOrder() {
        // doubles (the D suffix): as DECIMAL literals, 0.1 + 0.2 would be exactly 0.3 and test no tolerance
        assertTrue(0.1 + 0.2 != 0.3, "the sum differs from 0.3 in its last bit, as summing in another order does");
        assertEquals(List.of(), compare(
                "('u1', 0.1D + 0.2D, 'new', array('a', 'b')), ('u2', CAST(NULL AS DOUBLE), 'dormant', array())",
                "('u2', CAST(NULL AS DOUBLE), 'dormant', array()), ('u1', 0.3D, 'new', array('a', 'b'))"));
    }

    @Test
    void everyKindOfDifferenceIsReported() {
        List<String> differences = compare(
                "('u1', 10.000001D, 'new', array('a')), ('u2', 1.0D, 'dormant', array('b')), ('u4', 1.0D, 'new', array())",
                "('u1', 10.0D, 'returning', array('a', 'b')), ('u2', CAST(NULL AS DOUBLE), 'dormant', array('b')),"
                        + " ('u3', 1.0D, 'new', array())");
        assertTrue(differences.contains("t: 1 rows only in the pipeline, e.g. [u4]"), differences.toString());
        assertTrue(differences.contains("t: 1 rows only in the reference, e.g. [u3]"), differences.toString());
        assertTrue(differences.contains("t [u1] beats: pipeline 10.000001, reference 10.0"), differences.toString());
        assertTrue(differences.contains("t [u1] lifecycle: pipeline new, reference returning"), differences.toString());
        assertTrue(differences.contains("t [u1] products: pipeline [a], reference [a, b]"), differences.toString());
        assertTrue(differences.contains("t [u2] beats: pipeline 1.0, reference null"), differences.toString());
        assertEquals(6, differences.size(), differences.toString());
    }
}
