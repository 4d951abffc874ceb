package io.beatline.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataGeneratorTest {

    @TempDir
    Path dir;

    private DataGenerator.Summary generate(Path out, long seed) {
        return new DataGenerator(new GeneratorOptions(out.toString(), 40, 5, 10, 300, 2, seed,
                LocalDate.parse("2026-01-10"), 7, 0), new Configuration()).generate();
    }

    @Test
    void writesTheRawZoneLayoutOfTheSpec() throws IOException {
        DataGenerator.Summary summary = generate(dir, 1);
        assertEquals(10, summary.days());
        assertEquals(3, summary.crmSnapshots(), "days 0 and 7, and the last day");
        assertTrue(summary.events() > 2500, "about 300 a day: " + summary.events());
        assertTrue(Files.exists(dir.resolve("events/dt=2026-01-01/part-00000.jsonl.gz")));
        assertTrue(Files.exists(dir.resolve("events/dt=2026-01-10/part-00001.jsonl.gz")));
        for (String entity : List.of("companies", "end_users", "licenses", "nps_responses", "conversations", "invoices",
                "custom_metrics")) {
            assertTrue(Files.exists(dir.resolve("crm/" + entity + "/dt=2026-01-10/" + entity + ".csv")), entity);
        }
        String companies = Files.readString(dir.resolve("crm/companies/dt=2026-01-10/companies.csv"));
        assertTrue(companies.startsWith("company_id,name,owner,industry,country,city,tags,created_at,tier,employees\n"));
        assertEquals(6, companies.lines().count(), "header and five companies");
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".crc")), "no checksum side files");
        }
    }

    @Test
    void anAnonymousShareSendsThatShareLoggedOutAndLinksEveryDevice() throws IOException {
        new DataGenerator(new GeneratorOptions(dir.toString(), 200, 5, 10, 2000, 2, 3, LocalDate.parse("2026-01-10"), 7, 0.2),
                new Configuration()).generate();
        List<String> lines = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("events"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".gz")).toList()) {
                try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
                    new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().forEach(lines::add);
                }
            }
        }
        long anonymous = lines.stream().filter(l -> l.contains("\"anonymous_id\":\"dev-") && !l.contains("\"user_id\"")).count();
        long linked = lines.stream().filter(l -> l.contains("\"anonymous_id\":\"dev-") && l.contains("\"user_id\"")).count();
        double share = (double) anonymous / lines.size();
        assertTrue(share > 0.12 && share < 0.25, "logged-out share " + share);
        assertTrue(linked > 500, "each active user's first event of a day links its device: " + linked);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"user_id\":\"u-000100\"") && l.contains("dev-000099")),
                "user 100 shares user 99's device");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws IOException {
        generate(dir.resolve("a"), 5);
        generate(dir.resolve("b"), 5);
        Path day = Path.of("events/dt=2026-01-05/part-00000.jsonl.gz");
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(day)), Files.readAllBytes(dir.resolve("b").resolve(day)));
        Path crm = Path.of("crm/licenses/dt=2026-01-10/licenses.csv");
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(crm)), Files.readAllBytes(dir.resolve("b").resolve(crm)));
    }
}
