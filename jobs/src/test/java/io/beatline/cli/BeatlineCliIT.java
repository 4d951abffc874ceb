package io.beatline.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.accounts.AccountKpis;
import io.beatline.activity.UserDailyActivity;
import io.beatline.core.PipelineRuns;
import io.beatline.core.TableSpec;
import io.beatline.engagement.UserEngagement;
import io.beatline.ingest.SilverEvents;
import io.beatline.testing.SampleEvents;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and messages a scheduler and a person rely on. */
class BeatlineCliIT {

    @TempDir
    Path dir;
    TestLake lake;
    Path config;

    @BeforeEach
    void setUp() throws IOException {
        TestSpark.session();
        lake = new TestLake(dir);
        config = dir.resolve("test.conf");
        Files.writeString(config, "raw = \"" + lake.raw + "\"\nlake = \"" + lake.lake + "\"\n"
                + "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }\n");
    }

    private Cli beatline(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--config", config.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void validateConfigAcceptsAGoodFile() {
        Cli result = beatline("validate-config");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Configuration OK"), result.out());
    }

    @Test
    void aConfigErrorExitsWithTwoAndNamesFileLineAndKey() throws IOException {
        Files.writeString(config, "raw = \"r\"\nlake = \"l\"\ntime-zon = \"UTC\"\n");
        Cli result = beatline("validate-config");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("test.conf, line 3"), result.err());
        assertTrue(result.err().contains("'time-zon'"), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, beatline("run", "--as-of", "yesterday").exitCode());
        assertEquals(2, beatline("run").exitCode());
        assertEquals(2, Cli.run("no-such-command").exitCode());
        assertEquals(2, beatline("run", "--from", "2026-03-11", "--to", "2026-03-10").exitCode());
    }

    @Test
    void runWithoutTheDaysEventsExitsWithThreeAndLogsTheRun() {
        Cli result = beatline("run", "--as-of", "2026-03-10");
        assertEquals(3, result.exitCode(), result.err());
        assertTrue(result.err().contains("dt=2026-03-10"), result.err());
        Row run = lake.table(PipelineRuns.TABLE).filter("job = 'run'").first();
        assertEquals("failed", run.getAs("status"));
    }

    @Test
    void runWithRequireLandedOffRunsOnWhatHasLanded() {
        lake.landEvents(LocalDate.parse("2026-03-09"), "a.jsonl", SampleEvents.E1);
        Cli result = beatline("run", "--as-of", "2026-03-10", "--conf", "input.require-landed=false");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(1, lake.table(SilverEvents.TABLE).count());
    }

    @Test
    void runCatchesUpEveryLandedDateAndPrintsASummary() {
        lake.landEvents(LocalDate.parse("2026-03-09"), "a.jsonl", SampleEvents.E1);
        lake.landEvents(LocalDate.parse("2026-03-10"), "b.jsonl", SampleEvents.E11, SampleEvents.E1);
        Cli result = beatline("run", "--as-of", "2026-03-10");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("3 rows read: 2 accepted, 1 duplicates, 0 quarantined"), result.out());
        assertEquals(2, lake.table(SilverEvents.TABLE).count());

        // nothing landed, nothing changed: no stage runs and no table gets a commit, not even the run log, whose
        // latest row stays the run that recorded what it saw
        List<TableSpec> tables = List.of(SilverEvents.TABLE, UserDailyActivity.TABLE, UserEngagement.TABLE, AccountKpis.TABLE,
                PipelineRuns.TABLE);
        List<Long> versions = tables.stream().map(lake::version).toList();
        Cli again = beatline("run", "--as-of", "2026-03-10");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("every stage skipped, nothing written"), again.out());
        assertEquals(versions, tables.stream().map(lake::version).toList());
        Row last = lake.table(PipelineRuns.TABLE).filter("job = 'run'").orderBy(col("finished_at").desc()).first();
        assertEquals("succeeded", last.getAs("status"));
        assertTrue(last.getString(last.fieldIndex("inputs")).contains("silver/events@"), last.toString());

        // a changed setting recomputes every stage
        Cli reweighted = beatline("run", "--as-of", "2026-03-10", "--conf", "events.default-weight=2");
        assertEquals(0, reweighted.exitCode(), reweighted.err());
        assertTrue(reweighted.out().contains("engagement: 2 users"), reweighted.out());

        // so does a file that lands in the date's folder
        lake.landEvents(LocalDate.parse("2026-03-10"), "c.jsonl", SampleEvents.E11.replace("\"e11\"", "\"e12\""));
        Cli landed = beatline("run", "--as-of", "2026-03-10", "--conf", "events.default-weight=2");
        assertEquals(0, landed.exitCode(), landed.err());
        assertTrue(landed.out().contains("landing 2026-03-10, 2 files, 3 rows read: 2 accepted, 1 duplicates"), landed.out());
    }

    @Test
    void aCorruptFileExitsWithOneAndNamesIt() {
        lake.landBytes("events", LocalDate.parse("2026-03-10"), "x.jsonl.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2});
        Cli result = beatline("ingest-events", "--date", "2026-03-10");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().contains("x.jsonl.gz"), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    /**
     * Issue 14: a lake the user may not write (here made immutable with chattr, which stops root
     * too, as tests run as root where chmod would not) is reported as "permission denied" with what
     * to do. Before, the message was only the innermost error, the lock file's path and
     * "(Operation not permitted)" (or "(Permission denied)" for a user without write access).
     */
    @Test
    void aLakeThatCannotBeWrittenIsReportedAsPermissionDenied() throws Exception {
        lake.landEvents(LocalDate.parse("2026-03-10"), "a.jsonl", SampleEvents.E1);
        assertEquals(0, beatline("ingest-events", "--date", "2026-03-10").exitCode());
        lake.landEvents(LocalDate.parse("2026-03-11"), "b.jsonl", SampleEvents.E11);
        chattr("+i");
        try {
            Cli result = beatline("ingest-events", "--date", "2026-03-11");
            assertEquals(1, result.exitCode(), result.err());
            assertTrue(result.err().contains("permission denied writing the lake " + lake.lake), result.err());
            assertTrue(result.err().contains("needs to create, write and delete files"), result.err());
            assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
        } finally {
            chattr("-i");
        }
        assertEquals(1, lake.table(SilverEvents.TABLE).count(), "the lake is as it was");
    }

    /** chattr -R on the lake; fails with how to get it when the tool or the file system cannot. */
    private void chattr(String flag) throws Exception {
        Process chattr;
        try {
            chattr = new ProcessBuilder("chattr", "-R", flag, lake.lake.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs chattr (Debian package e2fsprogs: apt-get install e2fsprogs)", e);
        }
        String out = new String(chattr.getInputStream().readAllBytes());
        assertEquals(0, chattr.waitFor(), "chattr -R " + flag + " " + lake.lake + " failed (the test needs a file system"
                + " with the immutable attribute, e.g. ext4, and CAP_LINUX_IMMUTABLE): " + out);
    }
}
