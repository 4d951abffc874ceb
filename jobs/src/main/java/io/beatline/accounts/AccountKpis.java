package io.beatline.accounts;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import io.beatline.core.ColumnRule;
import io.beatline.core.Columns;
import io.beatline.core.TableSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * {@code gold/account_kpis}: one row per account in the CRM as of D or named by an event on or
 * before D, partitioned by as-of date: users and their activity, revenue from active licenses,
 * seats, NPS, conversations and invoices (SPEC 3.2).
 */
public final class AccountKpis {

    public static final TableSpec TABLE = new TableSpec("gold", "account_kpis",
            new StructType()
                    .add("as_of_date", DateType, false,
                            "D, the as-of date")
                    .add("account_id", StringType, false,
                            "the account")
                    .add("account_name", StringType, true,
                            "the company's name in the CRM as of D; empty for an account seen only in events")
                    .add("owner", StringType, true,
                            "the company's owner (CSM or account manager) in the CRM as of D")
                    .add("users_total", LongType, false,
                            "the account's users in `user_engagement` for D")
                    .add("dau", LongType, false,
                            "of those, how many had a counted event on D")
                    .add("wau", LongType, false,
                            "of those, how many had a counted event in the last 7 days")
                    .add("mau", LongType, false,
                            "of those, how many had a counted event in the last 30 days")
                    .add("stickiness", DoubleType, true,
                            "dau / mau; empty when mau is 0")
                    .add("beats_total", DoubleType, false,
                            "sum of the users' beats")
                    .add("experience_total", DoubleType, false,
                            "sum of the users' experience")
                    .add("avg_beats_per_active_user", DoubleType, true,
                            "beats_total / users with beats > 0; empty when there are none")
                    .add("onboarding_completion_rate", DoubleType, true,
                            "share (0 to 1) of users_total who completed onboarding; empty without users")
                    .add("mrr", DoubleType, false,
                            "monthly revenue of the licenses active on D (start_date <= D and end_date empty or >= D): a monthly license's amount, an annual one's amount / 12. Amounts are summed as they are, whatever their currency")
                    .add("arr", DoubleType, false,
                            "12 * mrr")
                    .add("seats", LongType, true,
                            "seats of the active licenses; empty when none has seats")
                    .add("seat_utilization", DoubleType, true,
                            "mau / seats; empty when seats is 0 or empty")
                    .add("products", createArrayType(StringType), false,
                            "the active licenses' products, sorted, distinct")
                    .add("nps", DoubleType, true,
                            "100 * (promoters - detractors) / responses, over each user's latest response in the last `nps.window-days` days (promoter 9-10, detractor 0-6); a response counts for its company_id, else for the responding user's account; empty without responses")
                    .add("nps_responses", LongType, false,
                            "how many such responses")
                    .add("nps_avg_score", DoubleType, true,
                            "their mean score")
                    .add("conversations_30d", LongType, false,
                            "conversations created in the last 30 days")
                    .add("open_invoices", LongType, false,
                            "invoices with status open, in the invoices snapshot as of D")
                    .add("overdue_invoices", LongType, false,
                            "open invoices whose due_date is before D")
                    .add("open_invoice_amount", DoubleType, false,
                            "total amount of the open invoices")
                    .add("health_score", DoubleType, true,
                            "the account's health score, 0 to 100, from config `health` (see docs/metrics.md); empty when no component has a value or none is configured"),
            List.of("as_of_date", "account_id"),
            List.of("as_of_date"),
            "one row per account known by the as-of date")
            .withRules(ColumnRule.atLeast("users_total", 0), ColumnRule.atLeast("dau", 0),
                    ColumnRule.atLeast("wau", 0), ColumnRule.atLeast("mau", 0), ColumnRule.between("stickiness", 0, 1),
                    ColumnRule.between("onboarding_completion_rate", 0, 1), ColumnRule.atLeast("seats", 0),
                    ColumnRule.between("nps", -100, 100), ColumnRule.atLeast("nps_responses", 0),
                    ColumnRule.between("nps_avg_score", 0, 10), ColumnRule.atLeast("conversations_30d", 0),
                    ColumnRule.atLeast("open_invoices", 0), ColumnRule.atLeast("overdue_invoices", 0),
                    ColumnRule.between("health_score", 0, 100));

    private AccountKpis() {
    }

    /** The CRM rows and engagement an account's KPIs for D are computed from, each as of D. */
    public record Inputs(Dataset<Row> engagement, Dataset<Row> accountsInEvents, Dataset<Row> companies,
                         Dataset<Row> licenses, Dataset<Row> npsResponses, Dataset<Row> conversations,
                         Dataset<Row> invoices) {
    }

    /**
     * Account KPIs for {@code asOf}. {@code engagement} is user_engagement for D;
     * {@code accountsInEvents} has one column {@code account_id} (accounts named by events on or
     * before D); the CRM inputs are the snapshots as of D.
     */
    public static Dataset<Row> compute(Inputs in, LocalDate asOf, int npsWindowDays) {
        Columns.require(in.engagement(), "user engagement", "user_id", "account_id", "last_seen_date", "beats", "experience",
                "onboarding_completed");
        Columns.require(in.accountsInEvents(), "the accounts seen in events", "account_id");
        Columns.require(in.companies(), "the CRM's companies", "company_id", "name", "owner");
        Columns.require(in.licenses(), "the CRM's licenses", "company_id", "start_date", "end_date", "period", "amount", "seats",
                "product");
        Columns.require(in.npsResponses(), "the CRM's NPS responses", "user_id", "company_id", "responded_at", "response_id",
                "score");
        Columns.require(in.conversations(), "the CRM's conversations", "company_id", "created_at");
        Columns.require(in.invoices(), "the CRM's invoices", "company_id", "status", "due_date", "amount");
        Column d = lit(Date.valueOf(asOf));
        Column lastSeen = col("last_seen_date");
        Dataset<Row> users = in.engagement().filter(col("account_id").isNotNull())
                .groupBy(col("account_id").as("u_account"))
                .agg(
                        count("*").as("users_total"),
                        sum(when(lastSeen.equalTo(d), 1).otherwise(0)).as("dau"),
                        sum(when(lastSeen.geq(lit(Date.valueOf(asOf.minusDays(6)))), 1).otherwise(0)).as("wau"),
                        sum(when(lastSeen.geq(lit(Date.valueOf(asOf.minusDays(29)))), 1).otherwise(0)).as("mau"),
                        sum("beats").as("beats_total"),
                        sum("experience").as("experience_total"),
                        sum(when(col("beats").gt(0), 1).otherwise(0)).as("users_with_beats"),
                        avg(col("onboarding_completed").cast(DoubleType)).as("onboarding_completion_rate"));

        Column active = col("start_date").leq(d).and(col("end_date").isNull().or(col("end_date").geq(d)));
        Dataset<Row> revenue = in.licenses().filter(active)
                .groupBy(col("company_id").as("l_account"))
                .agg(
                        sum(when(col("period").equalTo("monthly"), col("amount")).otherwise(col("amount").divide(12))).as("mrr"),
                        sum("seats").as("seats"),
                        array_sort(collect_set("product")).as("products"));

        // latest response per user within the window, attributed to the response's company,
        // else to the responding user's account
        Dataset<Row> userAccounts = in.engagement().select(col("user_id").as("e_user"), col("account_id").as("e_account"));
        Column respondedOn = to_date(col("responded_at"));
        Dataset<Row> latest = in.npsResponses()
                .filter(col("user_id").isNotNull().and(respondedOn.leq(d))
                        .and(respondedOn.geq(lit(Date.valueOf(asOf.minusDays(npsWindowDays - 1L))))))
                .groupBy("user_id")
                .agg(max_by(struct(col("score"), col("company_id")), struct(col("responded_at"), col("response_id"))).as("r"));
        Dataset<Row> nps = latest.join(userAccounts, latest.col("user_id").equalTo(userAccounts.col("e_user")), "left")
                .select(coalesce(col("r.company_id"), col("e_account")).as("n_account"), col("r.score").as("score"))
                .filter(col("n_account").isNotNull())
                .groupBy("n_account")
                .agg(
                        count("*").as("nps_responses"),
                        sum(when(col("score").geq(9), 1).otherwise(0)).as("promoters"),
                        sum(when(col("score").leq(6), 1).otherwise(0)).as("detractors"),
                        avg("score").as("nps_avg_score"));

        Column created = to_date(col("created_at"));
        Dataset<Row> conversations = in.conversations()
                .filter(created.leq(d).and(created.geq(lit(Date.valueOf(asOf.minusDays(29))))))
                .groupBy(col("company_id").as("c_account")).agg(count("*").as("conversations_30d"));

        Column open = col("status").equalTo("open");
        Dataset<Row> invoices = in.invoices().filter(open)
                .groupBy(col("company_id").as("i_account"))
                .agg(
                        count("*").as("open_invoices"),
                        sum(when(col("due_date").lt(d), 1).otherwise(0)).as("overdue_invoices"),
                        sum(coalesce(col("amount"), lit(0.0))).as("open_invoice_amount"));

        Dataset<Row> accounts = in.companies().select(col("company_id").as("account_id"))
                .unionByName(in.accountsInEvents().select("account_id"))
                .unionByName(in.engagement().select("account_id"))
                .filter(col("account_id").isNotNull())
                .distinct();
        Dataset<Row> companies = in.companies().select(col("company_id").as("k_account"), col("name").as("account_name"),
                col("owner"));

        Dataset<Row> joined = accounts
                .join(companies, accounts.col("account_id").equalTo(companies.col("k_account")), "left")
                .join(users, col("account_id").equalTo(users.col("u_account")), "left")
                .join(revenue, col("account_id").equalTo(revenue.col("l_account")), "left")
                .join(nps, col("account_id").equalTo(nps.col("n_account")), "left")
                .join(conversations, col("account_id").equalTo(conversations.col("c_account")), "left")
                .join(invoices, col("account_id").equalTo(invoices.col("i_account")), "left");

        Column mau = coalesce(col("mau"), lit(0L));
        Column mrr = coalesce(col("mrr"), lit(0.0));
        Column beatsTotal = coalesce(col("beats_total"), lit(0.0));
        Column responses = coalesce(col("nps_responses"), lit(0L));
        return joined.select(
                d.as("as_of_date"),
                col("account_id"),
                col("account_name"),
                col("owner"),
                coalesce(col("users_total"), lit(0L)).as("users_total"),
                coalesce(col("dau"), lit(0L)).as("dau"),
                coalesce(col("wau"), lit(0L)).as("wau"),
                mau.as("mau"),
                when(mau.gt(0), coalesce(col("dau"), lit(0L)).divide(mau)).as("stickiness"),
                beatsTotal.as("beats_total"),
                coalesce(col("experience_total"), lit(0.0)).as("experience_total"),
                when(col("users_with_beats").gt(0), beatsTotal.divide(col("users_with_beats"))).as("avg_beats_per_active_user"),
                col("onboarding_completion_rate"),
                mrr.as("mrr"),
                mrr.multiply(12).as("arr"),
                col("seats"),
                when(col("seats").gt(0), mau.divide(col("seats"))).as("seat_utilization"),
                coalesce(col("products"), lit(new String[0])).as("products"),
                when(responses.gt(0), col("promoters").minus(col("detractors")).multiply(100.0).divide(responses)).as("nps"),
                responses.as("nps_responses"),
                col("nps_avg_score"),
                coalesce(col("conversations_30d"), lit(0L)).as("conversations_30d"),
                coalesce(col("open_invoices"), lit(0L)).as("open_invoices"),
                coalesce(col("overdue_invoices"), lit(0L)).as("overdue_invoices"),
                coalesce(col("open_invoice_amount"), lit(0.0)).as("open_invoice_amount"),
                lit(null).cast(DoubleType).as("health_score"));
    }

    /** Accounts named by a user's events: the monthly rollups' {@code accounts} and the daily rows' {@code account_id}. */
    public static Dataset<Row> accountsInEvents(Dataset<Row> daily, Dataset<Row> months) {
        return daily.select("account_id")
                .unionByName(months.select(explode(col("accounts")).as("account_id")))
                .filter(col("account_id").isNotNull())
                .distinct();
    }
}
