package io.beatline.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.beatline.accounts.AccountKpis;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Job {@code export-segment}: a segment's members on a date (or only who entered and exited),
 * with the fields a mail tool or a CRM sync needs, written as CSV, JSON lines or Parquet to a
 * local path or s3a. CSV and JSON come as one part file in the output folder; no row cap.
 */
public final class SegmentExportJob {

    public static final String JOB = "export-segment";

    /** The output formats. */
    public enum Format {
        CSV, JSON, PARQUET;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final JobContext context;
    private final TableStore store;

    public SegmentExportJob(JobContext context) {
        this.context = context;
        this.store = context.store();
    }

    /** Exports {@code segmentId} as of {@code asOf} (default: its latest snapshot) to {@code out}. */
    public JobResult export(String segmentId, Optional<LocalDate> asOf, boolean changesOnly, Format format, String out) {
        String entityType = entityType(segmentId);
        LocalDate date = asOf.orElseGet(() -> latestSnapshot(segmentId));
        return JobRunner.run(context, JOB, date, runId -> {
            if (store.read(SegmentSummary.TABLE).filter(col("segment_id").equalTo(segmentId)
                    .and(col("as_of_date").equalTo(lit(Date.valueOf(date))))).isEmpty()) {
                throw BeatlineException.inputMissing("Segment '" + segmentId + "' has no snapshot for " + date
                        + "; run `beatline segments --as-of " + date + "` (or `run`) first.");
            }
            Dataset<Row> rows = store.read(changesOnly ? SegmentChanges.TABLE : SegmentMembership.TABLE)
                    .filter(col("segment_id").equalTo(segmentId).and(col("as_of_date").equalTo(lit(Date.valueOf(date)))));
            Dataset<Row> exported = entityType.equals("user") ? users(rows, date, changesOnly) : accounts(rows, date, changesOnly);
            exported = exported.persist();
            try {
                long count = exported.count();
                var writer = (format == Format.PARQUET ? exported : exported.coalesce(1)).write().mode(SaveMode.Overwrite);
                switch (format) {
                    case CSV -> writer.option("header", "true").csv(out);
                    case JSON -> writer.option("ignoreNullFields", "false").json(out); // every line has every key
                    case PARQUET -> writer.parquet(out);
                }
                return new JobResult(RowCounts.written(count), count + (changesOnly ? " changes" : " members") + " of "
                        + segmentId + " to " + out + " (" + format.configName() + ")");
            } finally {
                exported.unpersist();
            }
        });
    }

    /** User rows: contact fields from the CRM, the account's name, and engagement figures of the date. */
    static Dataset<Row> users(Dataset<Row> rows, Dataset<Row> engagement, Dataset<Row> endUsers, Dataset<Row> accounts,
                              boolean changesOnly) {
        Dataset<Row> joined = rows
                .join(engagement.drop("as_of_date"), col("entity_id").equalTo(col("user_id")), "left")
                .join(endUsers.select(col("user_id").as("crm_user_id"), col("email"), col("name"), col("role"), col("title")),
                        col("entity_id").equalTo(col("crm_user_id")), "left")
                .join(accounts.select(col("account_id").as("a_account"), col("account_name")),
                        col("account_id").equalTo(col("a_account")), "left");
        return joined.select(leading(changesOnly, "user_id",
                "email", "name", "role", "title", "account_id", "account_name", "beats", "beat_trend", "experience",
                "active_days_30d", "last_seen_date", "days_since_last_seen", "lifecycle", "onboarding_completed", "nps_score",
                "nps_category"));
    }

    /** Account rows: CRM and KPI fields of the date; products as one ;-separated string, so CSV can hold it. */
    static Dataset<Row> accounts(Dataset<Row> rows, Dataset<Row> kpis, Dataset<Row> companies, boolean changesOnly) {
        Dataset<Row> joined = rows
                .join(kpis.drop("as_of_date"), col("entity_id").equalTo(col("account_id")), "left")
                .join(companies.select(col("company_id"), col("industry"), col("country")),
                        col("entity_id").equalTo(col("company_id")), "left")
                .withColumn("products", concat_ws(";", col("products")));
        return joined.select(leading(changesOnly, "account_id",
                "account_name", "owner", "industry", "country", "users_total", "mau", "beats_total", "arr", "mrr", "seats",
                "products", "nps", "health_score", "open_invoices", "overdue_invoices"));
    }

    private Dataset<Row> users(Dataset<Row> rows, LocalDate date, boolean changesOnly) {
        Date d = Date.valueOf(date);
        return users(rows, store.read(UserEngagement.TABLE).filter(col("as_of_date").equalTo(lit(d))),
                CrmSnapshots.asOf(store, CrmEntity.END_USERS, date),
                store.read(AccountKpis.TABLE).filter(col("as_of_date").equalTo(lit(d))), changesOnly);
    }

    private Dataset<Row> accounts(Dataset<Row> rows, LocalDate date, boolean changesOnly) {
        return accounts(rows, store.read(AccountKpis.TABLE).filter(col("as_of_date").equalTo(lit(Date.valueOf(date)))),
                CrmSnapshots.asOf(store, CrmEntity.COMPANIES, date), changesOnly);
    }

    /** segment_id, as_of_date, (change), the entity's id under its own name, then {@code fields}. */
    private static Column[] leading(boolean changesOnly, String idName, String... fields) {
        List<Column> columns = new ArrayList<>(List.of(col("segment_id"), col("as_of_date")));
        if (changesOnly) {
            columns.add(col("change"));
        }
        columns.add(col("entity_id").as(idName));
        for (String field : fields) {
            columns.add(col(field));
        }
        return columns.toArray(Column[]::new);
    }

    /** The segment's entity: from the config, else from segment_definitions (a segment since removed). */
    private String entityType(String segmentId) {
        Optional<String> configured = context.config().segments().stream().filter(s -> s.id().equals(segmentId))
                .map(s -> s.entity().configName()).findFirst();
        if (configured.isPresent()) {
            return configured.get();
        }
        List<Row> known = store.read(SegmentDefinitions.TABLE).filter(col("segment_id").equalTo(segmentId))
                .select("entity_type").collectAsList();
        if (known.isEmpty()) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "No segment '" + segmentId + "'. Segments: "
                    + String.join(", ", context.config().segments().stream().map(s -> s.id()).toList()) + ".");
        }
        return known.get(0).getString(0);
    }

    private LocalDate latestSnapshot(String segmentId) {
        Row latest = store.read(SegmentSummary.TABLE).filter(col("segment_id").equalTo(segmentId)).agg(max("as_of_date")).first();
        if (latest.isNullAt(0)) {
            throw BeatlineException.inputMissing("Segment '" + segmentId + "' has not been evaluated yet; run"
                    + " `beatline segments --as-of D` (or `run`) first, or pass --as-of.");
        }
        return latest.getDate(0).toLocalDate();
    }
}
