package io.beatline.engagement;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;

import java.util.List;
import io.beatline.activity.MonthlyRollups;
import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.config.EngagementConfig;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.Stage;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmSnapshots;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Job {@code engagement}: writes the {@code user_engagement} partition of one as-of date. */
public final class EngagementJob extends Stage {

    public static final String JOB = "engagement";

    public EngagementJob(JobContext context) {
        super(context, JOB, List.of(UserDailyActivity.TABLE, UserMonthlyActivity.TABLE, CrmEntity.END_USERS.table,
                CrmEntity.NPS_RESPONSES.table),
                List.of(UserEngagement.TABLE));
    }

    @Override
    public JobResult run(LocalDate asOf) {
        return JobRunner.run(context, JOB, asOf, runId -> {
            MonthlyRollups.requireRolledUp(store, asOf, JOB);
            EngagementConfig config = context.config().engagement();
            Dataset<Row> daily = store.read(UserDailyActivity.TABLE).filter(col("activity_date")
                    .between(lit(Date.valueOf(UserEngagement.dailyReadFrom(asOf, config))), lit(Date.valueOf(asOf))));
            Dataset<Row> months = store.read(UserMonthlyActivity.TABLE)
                    .filter(col("month").lt(lit(Date.valueOf(asOf.withDayOfMonth(1)))));
            Dataset<Row> rows = UserEngagement.compute(daily, months,
                    CrmSnapshots.asOf(store, CrmEntity.END_USERS, asOf),
                    CrmSnapshots.asOf(store, CrmEntity.NPS_RESPONSES, asOf), asOf, config);
            long written = store.replacePartition(UserEngagement.TABLE, rows, asOf);
            return new JobResult(RowCounts.written(written), summary(asOf));
        });
    }

    /** Users, beats distribution and lifecycle counts of the partition just written. */
    private String summary(LocalDate asOf) {
        Dataset<Row> partition = store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(Date.valueOf(asOf))));
        Row beats = partition.agg(count("*"), percentile_approx(col("beats"), lit(0.5), lit(10000)),
                percentile_approx(col("beats"), lit(0.9), lit(10000)), max("beats")).first();
        Map<String, Long> lifecycles = new TreeMap<>();
        for (Row row : partition.groupBy("lifecycle").count().collectAsList()) {
            lifecycles.put(row.getAs("lifecycle"), row.getAs("count"));
        }
        String lifecycleText = UserEngagement.LIFECYCLES.stream()
                .map(l -> l + " " + lifecycles.getOrDefault(l, 0L)).collect(Collectors.joining(", "));
        return beats.getLong(0) + " users; beats median " + format(beats, 1) + ", p90 " + format(beats, 2)
                + ", max " + format(beats, 3) + "; lifecycle " + lifecycleText;
    }

    private static String format(Row row, int i) {
        return row.isNullAt(i) ? "-" : String.format("%.1f", ((Number) row.get(i)).doubleValue());
    }
}
