package io.beatline.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beatline.cli.Cli;
import io.beatline.core.PipelineRuns;
import io.beatline.engagement.UserEngagement;
import io.beatline.serving.LakeTables;
import io.beatline.testing.SampleLake;
import io.beatline.testing.TestLake;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks, the file layout and the lineage on the bundled samples: the README's runs pass
 * every check, write one file per partition and record what they read and wrote, and a day whose events were cut to a tenth fails the run on the
 * day-over-day guard, naming the tables and the figures.
 */
class DataQualityIT {

    @TempDir
    Path dir;

    @Test
    void theSampleRunsPassEveryCheckAndEachWriteMakesOneFilePerPartition() throws IOException {
        for (Cli run : SampleLake.runs()) {
            assertTrue(run.out().matches("(?s).*\\nchecks: \\d+ passed, 0 failed, \\d+ skipped\\n.*"), run.out());
        }
        TestLake lake = SampleLake.get();
        assertEquals(0, lake.table(DataQuality.TABLE).filter("status = 'failed'").count());
        assertEquals(2, lake.table(DataQuality.TABLE).select("run_id").distinct().count(), "one set of results per run");

        // every commit of every table adds at most one file to each partition (Delta's optimized writes)
        ObjectMapper json = new ObjectMapper();
        List<String> tables = new ArrayList<>();
        try (Stream<Path> logs = Files.find(lake.lake, 3, (path, attributes) -> path.getFileName().toString().equals("_delta_log"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                tables.add(lake.lake.relativize(log.getParent()).toString());
                try (Stream<Path> commits = Files.list(log)) {
                    for (Path commit : (Iterable<Path>) commits.filter(p -> p.toString().endsWith(".json"))::iterator) {
                        Map<String, Integer> filesPerPartition = new HashMap<>();
                        for (String line : Files.readAllLines(commit)) {
                            JsonNode add = json.readTree(line).get("add");
                            if (add != null) {
                                filesPerPartition.merge(add.get("partitionValues").toString(), 1, Integer::sum);
                            }
                        }
                        filesPerPartition.forEach((partition, files) -> assertEquals(1, files,
                                commit + " adds " + files + " files to partition " + partition));
                    }
                }
            }
        }
        assertEquals(LakeTables.all().size(), tables.size(), "every table was looked at: " + tables);

        // lineage: the last run's row names the tables it read and wrote, at their versions
        Row last = lake.table(PipelineRuns.TABLE).filter("job = 'run' AND date = DATE'2026-06-30' AND status = 'succeeded'").first();
        JsonNode lineage = json.readTree(last.<String>getAs("lineage"));
        List<Long> engagement = new ArrayList<>();
        lineage.get("written").get("gold/user_engagement").forEach(version -> engagement.add(version.asLong()));
        assertEquals(List.of(lake.version(UserEngagement.TABLE)), engagement, lineage.toString());
        assertTrue(lineage.get("read").has("silver/events") && lineage.get("read").has("gold/user_daily_activity"), lineage.toString());
        Row ingest = lake.table(PipelineRuns.TABLE).filter("job = 'ingest-events' AND date = DATE'2026-06-30'").first();
        JsonNode ingested = json.readTree(ingest.<String>getAs("lineage"));
        assertTrue(ingested.get("written").has("silver/events") && !ingested.get("written").has("gold/user_engagement"),
                ingested.toString());
    }

    @Test
    void aDayWhoseEventsWereCutToATenthFailsTheDayOverDayGuard() throws IOException {
        TestLake lake = SampleLake.copyTo(dir);
        // the raw zone as landed (same names, sizes and times: nothing is new), then 2026-06-30's events cut to a tenth
        Path raw = dir.resolve("raw-copy");
        try (Stream<Path> paths = Files.walk(SampleLake.SAMPLES)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = raw.resolve(SampleLake.SAMPLES.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path landing = raw.resolve("events/dt=2026-06-30");
        try (Stream<Path> files = Files.list(landing)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                keepEveryTenthLine(file);
            }
        }

        List<String> args = new ArrayList<>(List.of(SampleLake.args(lake, "run", "--as-of", "2026-06-30")));
        args.addAll(List.of("--conf", "raw=\"" + raw + "\""));
        Cli run = Cli.run(args.toArray(String[]::new));
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("data-quality check(s) failed for 2026-06-30"), run.err());
        assertTrue(run.err().matches("(?s).*user_daily_activity day_over_day active users: active users \\d+ on 2026-06-30 vs \\d+"
                + " on 2026-06-29 \\(-\\d+\\.\\d%\\), more than checks.max-change-pct 50%.*"), run.err());
        assertTrue(run.err().matches("(?s).*silver_events day_over_day events: events \\d+ on 2026-06-30 vs \\d+ on 2026-06-29"
                + " \\(-(8|9)\\d\\.\\d%\\).*"), run.err());
        assertEquals(1, lake.table(PipelineRuns.TABLE)
                .filter("job = 'run' AND status = 'failed' AND message LIKE '%day_over_day active users%'").count());

        // checks.mode = warn: the same run passes, and says what it found
        args.addAll(List.of("--conf", "checks.mode=warn"));
        Cli warned = Cli.run(args.toArray(String[]::new));
        assertEquals(0, warned.exitCode(), warned.err());
        assertTrue(warned.out().contains("failed, ") && warned.out().contains("(checks.mode = warn): "), warned.out());
    }

    /** Rewrites a gzip or plain JSON-lines file with its lines 1, 11, 21, ... */
    private static void keepEveryTenthLine(Path file) throws IOException {
        boolean gzip = file.toString().endsWith(".gz");
        FileTime modified = Files.getLastModifiedTime(file);
        List<String> lines;
        try (var in = gzip ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < lines.size(); i += 10) {
            kept.append(lines.get(i)).append('\n');
        }
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(kept.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Files.setLastModifiedTime(file, modified);
    }
}
