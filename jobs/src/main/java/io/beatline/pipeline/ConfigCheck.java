package io.beatline.pipeline;

import io.beatline.config.BeatlineConfig;
import io.beatline.metrics.MetricsJob;
import io.beatline.segments.SegmentEvaluation;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * The checks of a configuration that need Spark to resolve its expressions: every metric
 * {@code value}, every health component's source and every segment {@code where}, against empty
 * frames of their inputs' schemas (no table is read). Every command runs it once its session
 * exists and before its first stage, and {@code validate-config} runs it too, so a bad
 * expression is an exit 2 naming the file, line and key with no table changed. The checks that
 * need no Spark (keys, types, segment fields and operators) ran already, in ConfigLoader and
 * {@link SegmentEvaluation#check}.
 */
public final class ConfigCheck {

    private ConfigCheck() {
    }

    public static void check(SparkSession spark, BeatlineConfig config) {
        // 1. segment conditions `where` against the user and account profiles
        new SegmentEvaluation(config, LocalDate.now(config.timeZone())).checkWhere(spark);
        // 2. metric values against their aggregates and the entity's columns, and health sources:
        //    a metric or a column of the entity's table
        MetricsJob.check(spark, config);
    }
}
