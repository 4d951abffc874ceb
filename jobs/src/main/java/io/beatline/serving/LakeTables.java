package io.beatline.serving;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.ActorDailyActivity;
import io.beatline.activity.IdentitySummary;
import io.beatline.activity.ProcessedBatches;
import io.beatline.activity.UserDailyActivity;
import io.beatline.activity.UserMonthlyActivity;
import io.beatline.activity.UserMonthlyEvents;
import io.beatline.checks.DataQuality;
import io.beatline.core.PipelineRuns;
import io.beatline.core.TableSpec;
import io.beatline.crm.CrmEntity;
import io.beatline.crm.CrmQuarantine;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.EventsQuarantine;
import io.beatline.ingest.Identities;
import io.beatline.ingest.IngestedBatches;
import io.beatline.ingest.SilverEvents;
import io.beatline.metrics.MetricDefinitions;
import io.beatline.metrics.MetricValues;
import io.beatline.segments.SegmentChanges;
import io.beatline.segments.SegmentDefinitions;
import io.beatline.segments.SegmentHistory;
import io.beatline.segments.SegmentMembership;
import io.beatline.segments.SegmentSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every table beatline writes, in the order of the data flow: what the serving layer names, lists and publishes. */
public final class LakeTables {

    private LakeTables() {
    }

    public static List<TableSpec> all() {
        List<TableSpec> tables = new ArrayList<>(List.of(SilverEvents.TABLE, EventsQuarantine.TABLE, Identities.TABLE,
                Identities.CONFLICTS));
        for (CrmEntity entity : CrmEntity.values()) {
            tables.add(entity.table);
        }
        tables.addAll(List.of(CrmQuarantine.TABLE,
                ActorDailyActivity.TABLE, UserDailyActivity.TABLE, UserMonthlyActivity.TABLE, UserMonthlyEvents.TABLE, UserEngagement.TABLE, AccountKpis.TABLE,
                MetricValues.TABLE, MetricDefinitions.TABLE,
                SegmentMembership.TABLE, SegmentChanges.TABLE, SegmentHistory.TABLE, SegmentSummary.TABLE,
                SegmentDefinitions.TABLE,
                PipelineRuns.TABLE, DataQuality.TABLE, IdentitySummary.TABLE, IngestedBatches.TABLE, ProcessedBatches.TABLE));
        return List.copyOf(tables);
    }

    /** The table with SQL name {@code sqlName}, if beatline has one. */
    public static Optional<TableSpec> bySqlName(String sqlName) {
        return all().stream().filter(table -> table.sqlName().equals(sqlName)).findFirst();
    }
}
