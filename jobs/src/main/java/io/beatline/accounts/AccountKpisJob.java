package io.beatline.accounts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.core.JobRunner;
import io.beatline.core.RowCounts;
import io.beatline.core.TableStore;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmSnapshots;
import io.beatline.engagement.UserEngagement;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Job {@code account-kpis}: writes the {@code account_kpis} partition of one as-of date. */
public final class AccountKpisJob {

    public static final String JOB = "account-kpis";

    private final JobContext context;
    private final TableStore store;

    public AccountKpisJob(JobContext context) {
        this.context = context;
        this.store = context.store();
    }

    public JobResult run(LocalDate asOf) {
        return JobRunner.run(context, JOB, asOf, runId -> {
            Date d = Date.valueOf(asOf);
            Date monthStart = Date.valueOf(asOf.withDayOfMonth(1));
            Dataset<Row> engagement = store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(d)));
            if (engagement.isEmpty()) {
                throw BeatlineException.jobFailure("user_engagement has no rows for " + asOf
                        + ": run `beatline engagement --as-of " + asOf + "` first (or `beatline run --as-of " + asOf + "`).", null);
            }
            Dataset<Row> accountsInEvents = AccountKpis.accountsInEvents(
                    store.read(UserDailyActivity.TABLE).filter(col("activity_date").between(lit(monthStart), lit(d))),
                    store.read(UserMonthlyActivity.TABLE).filter(col("month").lt(lit(monthStart))));
            AccountKpis.Inputs inputs = new AccountKpis.Inputs(engagement, accountsInEvents,
                    CrmSnapshots.asOf(store, CrmEntity.COMPANIES, asOf),
                    CrmSnapshots.asOf(store, CrmEntity.LICENSES, asOf),
                    CrmSnapshots.asOf(store, CrmEntity.NPS_RESPONSES, asOf),
                    CrmSnapshots.asOf(store, CrmEntity.CONVERSATIONS, asOf),
                    CrmSnapshots.asOf(store, CrmEntity.INVOICES, asOf));
            long written = store.replace(AccountKpis.TABLE,
                    AccountKpis.compute(inputs, asOf, context.config().engagement().npsWindowDays()),
                    "as_of_date = DATE'" + asOf + "'");
            return new JobResult(RowCounts.written(written), written + " accounts");
        });
    }
}
