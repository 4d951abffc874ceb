package io.beatline.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.cli.Cli;
import io.beatline.core.Lake;
import io.beatline.core.PipelineRuns;
import io.beatline.core.TableSpec;
import io.beatline.serving.LakeTables;
import io.beatline.testing.SampleLake;
import io.beatline.testing.TestLake;
import io.beatline.testing.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code beatline maintain} on a copy of the sample lake: every table reads the same rows after
 * it, time travel within the retention still works, a second run finds nothing to do, a
 * retention below a week is refused unless forced, and with --force --retain-hours 0 the files
 * no current version reads are gone (and so is time travel to the versions that read them).
 */
class MaintainIT {

    @TempDir
    Path dir;

    /** Per table: its row count and an order-free fingerprint of its rows (the run log without maintain's own rows). */
    private static Map<String, String> contents(TestLake lake) {
        Map<String, String> contents = new LinkedHashMap<>();
        for (TableSpec table : LakeTables.all()) {
            var rows = table == PipelineRuns.TABLE ? lake.table(table).filter("job NOT LIKE 'maintain%'") : lake.table(table);
            Row row = rows.selectExpr("count(*)", "bit_xor(xxhash64(to_json(struct(*))))").first();
            contents.put(table.sqlName(), row.getLong(0) + "/" + (row.isNullAt(1) ? "-" : row.getLong(1)));
        }
        return contents;
    }

    private static String[] maintain(TestLake lake, String... extra) {
        List<String> args = new ArrayList<>(List.of(SampleLake.args(lake, "maintain")));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Data files below a table's folder, and the files its current version reads. */
    private static long filesOnDisk(TestLake lake, TableSpec table) throws Exception {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(new Lake(lake.lake.toString()).path(table));
        return LakeMaintenance.usage(FileSystem.getLocal(TestSpark.session().sparkContext().hadoopConfiguration()), path).files();
    }

    @Test
    void maintenanceKeepsEveryRowAndTimeTravelAndRemovesOnlyWhatAgedOut() throws Exception {
        TestLake lake = SampleLake.copyTo(dir);
        Map<String, String> before = contents(lake);
        long runLogFiles = filesOnDisk(lake, PipelineRuns.TABLE);
        assertTrue(runLogFiles > 1, "the run log holds one file per append: " + runLogFiles);

        Cli first = Cli.run(maintain(lake));
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().matches("(?s)maintain: 30 tables: \\d+ files compacted into \\d+; 0 files removed.*"), first.out());
        assertTrue(first.out().contains("meta_pipeline_runs: " + runLogFiles + " files compacted into 1"), first.out());
        assertEquals(before, contents(lake), "maintenance changes no row");
        // the compacted files stay (younger than 168 hours), beside the compacted one and maintain's own row:
        // time travel to the first version still reads
        assertEquals(runLogFiles + 2, filesOnDisk(lake, PipelineRuns.TABLE));
        String runs = new Lake(lake.lake.toString()).path(PipelineRuns.TABLE);
        // (rows collected: a count would come from the log's statistics, without reading a file)
        assertTrue(TestSpark.session().read().format("delta").option("versionAsOf", 0).load(runs).collectAsList().size() > 0);

        Cli second = Cli.run(maintain(lake));
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().startsWith("maintain: 30 tables: 0 files compacted into 0; 0 files removed"), second.out());

        Cli refused = Cli.run(maintain(lake, "--retain-hours", "0"));
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--retain-hours 0 hours is below Delta's safe minimum of 168"), refused.err());
        Cli refusedByConfig = Cli.run(maintain(lake, "--conf", "maintenance.retain-hours=24"));
        assertEquals(2, refusedByConfig.exitCode());
        assertTrue(refusedByConfig.err().contains("key 'maintenance.retain-hours': 24 hours is below"), refusedByConfig.err());

        Cli forced = Cli.run(maintain(lake, "--retain-hours", "0", "--force"));
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(forced.out().matches("(?s)maintain: 30 tables: 0 files compacted into 0; [1-9]\\d* files removed.*"), forced.out());
        assertEquals(before, contents(lake), "still the same rows");
        for (TableSpec table : LakeTables.all()) {
            String path = new Lake(lake.lake.toString()).path(table);
            long read = TestSpark.session().read().format("delta").load(path).inputFiles().length;
            assertEquals(read, filesOnDisk(lake, table), table.sqlName() + ": only the files of the current version are left");
        }
        // the run log's first version read a file the compaction replaced: it is gone now, and so is that version
        assertThrows(Exception.class, () -> TestSpark.session().read().format("delta").option("versionAsOf", 0).load(runs).collectAsList());

        List<Row> logged = lake.table(PipelineRuns.TABLE).filter("job = 'maintain'").collectAsList();
        assertEquals(3, logged.stream().filter(row -> row.<String>getAs("status").equals("succeeded")).count(), "three runs, one row each");
    }
}
