package io.beatline.checks;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.core.BeatlineException;
import io.beatline.core.ColumnRule;
import io.beatline.core.JobContext;
import io.beatline.core.TableSpec;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each data-quality check on a table that keeps its contract and on one that breaks it, with the
 * failing counts and offending keys worked out by hand; the day-over-day guard's arithmetic; and
 * what a failed check does in each mode.
 */
class DataQualityTest {

    /** A small table with every kind of check: key (as_of_date, id), id required, kind a or b, pct 0..100. */
    static final TableSpec TABLE = new TableSpec("gold", "checked",
            new StructType()
                    .add("as_of_date", DateType, false, "D")
                    .add("id", StringType, false, "the key")
                    .add("kind", StringType, true, "a or b")
                    .add("pct", DoubleType, true, "a share"),
            List.of("as_of_date", "id"), List.of("as_of_date"), "one row per id and date")
            .withRules(ColumnRule.oneOf("kind", List.of("a", "b")), ColumnRule.between("pct", 0, 100));

    /** The same table as written: id may be empty here, so that the rows can break the contract's not-null. */
    static final TableSpec WRITTEN = new TableSpec("gold", "checked",
            new StructType()
                    .add("as_of_date", DateType, false, "D")
                    .add("id", StringType, true, "the key")
                    .add("kind", StringType, true, "a or b")
                    .add("pct", DoubleType, true, "a share"),
            List.of("as_of_date", "id"), List.of("as_of_date"), "one row per id and date");

    static final LocalDate D = LocalDate.of(2026, 6, 30);

    @TempDir
    Path dir;

    private static Row row(LocalDate date, String id, String kind, Double pct) {
        return RowFactory.create(Date.valueOf(date), id, kind, pct);
    }

    private JobContext write(String... overrides) {
        TestLake lake = new TestLake(dir);
        JobContext context = lake.context(overrides);
        context.store().replaceAll(WRITTEN, TestSpark.session().createDataFrame(List.of(
                // D: good rows, then x twice (a duplicate key), an empty id, kind c, pct 101 and -1
                row(D, "g1", "a", 0.0), row(D, "g2", "b", 100.0), row(D, "g3", null, null),
                row(D, "x", "a", 5.0), row(D, "x", "b", 6.0), row(D, null, "a", 1.0),
                row(D, "k", "c", 1.0), row(D, "p", "a", 101.0), row(D, "q", "b", -1.0),
                // the day before breaks nothing, and is not D's to check
                row(D.minusDays(1), "g1", "z", 500.0)), WRITTEN.schema()));
        return context;
    }

    private static Map<String, DataQuality.Result> bySubject(List<DataQuality.Result> results) {
        return results.stream().collect(Collectors.toMap(r -> r.check() + " " + r.subject(), r -> r));
    }

    @Test
    void eachCheckPassesOnRowsThatKeepTheContractAndFailsOnRowsThatBreakIt() {
        JobContext context = write();
        DataQuality quality = new DataQuality(context);

        // passing: the good rows of D only
        var good = bySubject(quality.contract(TABLE, quality.scoped(TABLE, D).filter("id LIKE 'g%'")));
        assertEquals(List.of("accepted_values kind", "key_unique as_of_date, id", "not_null as_of_date", "not_null id", "range pct"),
                good.keySet().stream().sorted().toList());
        good.values().forEach(result -> assertEquals(DataQuality.PASSED, result.status(), result.describe()));
        assertEquals("3 rows, each key once", good.get("key_unique as_of_date, id").observed());

        // failing: every row of D (the 500 of the day before is out of scope)
        var all = bySubject(quality.contract(TABLE, quality.scoped(TABLE, D)));
        DataQuality.Result key = all.get("key_unique as_of_date, id");
        assertEquals(DataQuality.FAILED, key.status());
        assertEquals(1, key.failingRows(), "one key, x, is held by two rows");
        assertEquals("2026-06-30/x", key.sample().orElseThrow());
        DataQuality.Result id = all.get("not_null id");
        assertEquals(1, id.failingRows());
        assertEquals("1 of 9 rows empty", id.observed());
        DataQuality.Result kind = all.get("accepted_values kind");
        assertEquals(1, kind.failingRows(), "c; the empty kind of g3 breaks no rule");
        assertEquals("2026-06-30/k/c", kind.sample().orElseThrow());
        assertEquals("1 of 9 rows not one of a, b", kind.observed());
        DataQuality.Result pct = all.get("range pct");
        assertEquals(2, pct.failingRows(), "101 and -1");
        assertEquals(List.of("2026-06-30/p/101.0", "2026-06-30/q/-1.0"),
                Arrays.stream(pct.sample().orElseThrow().split(", ")).sorted().toList());
        assertEquals(DataQuality.PASSED, all.get("not_null as_of_date").status());
    }

    @Test
    void theDayOverDayGuardComparesWithTheBaselineAboveTheMinimum() {
        DataQuality quality = new DataQuality(new TestLake(dir).context());
        LocalDate before = D.minusDays(1);
        DataQuality.Result cut = quality.guard("t", "active users", 31L, 310L, D, before);
        assertEquals(DataQuality.FAILED, cut.status());
        assertEquals("active users 31 on 2026-06-30 vs 310 on 2026-06-29 (-90.0%), more than checks.max-change-pct 50%",
                cut.observed());
        assertEquals(DataQuality.PASSED, quality.guard("t", "users", 150L, 100L, D, before).status(), "+50% is not more than 50");
        assertEquals(DataQuality.FAILED, quality.guard("t", "users", 151L, 100L, D, before).status(), "+51% is");
        assertEquals(DataQuality.SKIPPED, quality.guard("t", "users", 5L, 99L, D, before).status(), "below checks.min-base 100");
        assertEquals(DataQuality.SKIPPED, quality.guard("t", "users", 5L, null, D, before).status(), "no baseline");
        DataQuality loose = new DataQuality(new TestLake(dir).context("checks.max-change-pct=95", "checks.min-base=10"));
        assertEquals(DataQuality.PASSED, loose.guard("t", "active users", 31L, 310L, D, before).status());
        assertEquals(DataQuality.FAILED, loose.guard("t", "users", 0L, 10L, D, before).status());
    }

    @Test
    void aFailedCheckFailsTheRunInEnforceModeAndIsKeptInWarnMode() {
        JobContext enforce = write();
        BeatlineException failure = assertThrows(BeatlineException.class,
                () -> new DataQuality(enforce).run("run-1", D, List.of(TABLE)));
        assertEquals(BeatlineException.Kind.JOB_FAILURE, failure.kind());
        assertTrue(failure.getMessage().startsWith("4 data-quality check(s) failed for 2026-06-30: checked key_unique as_of_date, id:"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("checked range pct: 2 of 9 rows not between 0 and 100"), failure.getMessage());
        assertTrue(failure.getMessage().contains("meta_check_results (run run-1)"), failure.getMessage());

        JobContext warn = new TestLake(dir).context("checks.mode=warn");
        String line = new DataQuality(warn).run("run-2", D, List.of(TABLE));
        assertTrue(line.startsWith("checks: 1 passed, 4 failed, 0 skipped (checks.mode = warn): checked key_unique"), line);

        List<Row> kept = new TestLake(dir).table(DataQuality.TABLE).filter("table_name = 'checked'")
                .orderBy("run_id", "check_name", "subject").collectAsList();
        assertEquals(10, kept.size(), "5 checks of each run, enforce's kept before it failed");
        assertEquals(List.of("enforce", "warn"), kept.stream().map(r -> r.<String>getAs("mode")).distinct().sorted().toList());
        assertEquals(8, kept.stream().filter(r -> r.<String>getAs("status").equals(DataQuality.FAILED)).count());
    }
}
