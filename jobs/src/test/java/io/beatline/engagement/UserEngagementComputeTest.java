package io.beatline.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.config.EngagementConfig;
import io.beatline.crm.CrmEntity;
import io.beatline.testing.TestSpark;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The engagement transform alone, on in-memory rows: no files, no Delta. */
class UserEngagementComputeTest {

    @Test
    void aLoneUserWithAShortWindow() {
        SparkSession spark = TestSpark.session();
        LocalDate d = LocalDate.parse("2026-03-10");
        // window of 3 days: now = Mar 8..10, previous = Mar 5..7
        EngagementConfig config = new EngagementConfig(3, List.of("login"));
        Dataset<Row> daily = spark.createDataFrame(List.of(
                RowFactory.create("u1", "a1", Date.valueOf("2026-03-05"), "login", 2L, 2.0, Timestamp.valueOf("2026-03-05 10:00:00")),
                RowFactory.create("u1", "a1", Date.valueOf("2026-03-08"), "export", 1L, 2.5, Timestamp.valueOf("2026-03-08 10:00:00")),
                RowFactory.create("u1", "a2", Date.valueOf("2026-03-10"), "login", 1L, 1.0, Timestamp.valueOf("2026-03-10 10:00:00")),
                RowFactory.create("u1", "a9", Date.valueOf("2026-03-11"), "login", 9L, 9.0, Timestamp.valueOf("2026-03-11 10:00:00"))),
                UserDailyActivity.TABLE.schema());
        Dataset<Row> months = spark.createDataFrame(List.of(), UserMonthlyActivity.TABLE.schema());
        Dataset<Row> noUsers = spark.createDataFrame(List.of(), CrmEntity.END_USERS.table.schema());
        Dataset<Row> noResponses = spark.createDataFrame(List.of(), CrmEntity.NPS_RESPONSES.table.schema());

        Row row = UserEngagement.compute(daily, months, noUsers, noResponses, d, config).first();
        assertEquals("u1", row.getAs("user_id"));
        assertEquals("a2", row.getAs("account_id"), "the latest event's account; Mar 11 is after D");
        assertEquals(3.5, (double) row.getAs("beats"));
        assertEquals(2.0, (double) row.getAs("beats_previous"));
        assertEquals(75.0, (double) row.getAs("beat_trend_pct"));
        assertEquals(5.5, (double) row.getAs("experience"));
        assertEquals(0.0, (double) row.getAs("experience_percentile"), "a lone user gets 0");
        assertEquals(3, (int) row.getAs("active_days_30d"));
        assertEquals("returning", row.getAs("lifecycle"));
        assertEquals(1, (int) row.getAs("onboarding_steps_done"));
        assertEquals(true, row.getAs("onboarding_completed"));
    }
}
