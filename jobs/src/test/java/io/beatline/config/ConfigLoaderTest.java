package io.beatline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.core.BeatlineException;
import io.beatline.crm.CrmEntity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /**
     * config/ names the CRM entities crm.custom-fields accepts without depending on crm/ (which
     * depends on config/): the two lists must be the same.
     */
    @Test
    void theEntitiesCustomFieldsAcceptAreTheCrmEntities() {
        assertEquals(Arrays.stream(CrmEntity.values()).map(entity -> entity.entityName).toList(), ConfigLoader.CRM_ENTITIES);
    }

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private BeatlineException failure(Path file, String... overrides) {
        BeatlineException e = assertThrows(BeatlineException.class,
                () -> ConfigLoader.load(Optional.of(file), List.of(overrides)));
        assertEquals(2, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void shippedConfigIsValid() {
        BeatlineConfig config = ConfigLoader.load(Optional.of(Path.of("../conf/application.conf")), List.of());
        assertEquals("data-samples/raw", config.raw());
        assertEquals(3.0, config.events().weightOf("run_report"));
        assertEquals(1.0, config.events().weightOf("login"));
        assertTrue(config.events().excluded().contains("page_view"));
    }

    @Test
    void fileValuesOverrideDefaultsAndConfOverridesFile() throws IOException {
        Path file = write("a.conf", "lake = \"/data/lake\"\ntime-zone = \"Europe/Paris\"\nevents.weights { run_report = 3 }\n");
        BeatlineConfig config = ConfigLoader.load(Optional.of(file), List.of("time-zone=America/Sao_Paulo"));
        assertEquals("/data/lake", config.lake());
        assertEquals(ZoneId.of("America/Sao_Paulo"), config.timeZone());
        assertEquals(3.0, config.events().weightOf("run_report"));
        assertEquals(1.0, config.events().defaultWeight());
        assertEquals("event_id", config.eventFields().sourceOf("event_id"));
    }

    /** The --conf forms the docs show (configuration.md, operations.md), as a shell passes them. */
    @Test
    void theDocumentedConfOverridesLoad() throws IOException {
        Path file = write("empty.conf", "# defaults\n");
        BeatlineConfig config = ConfigLoader.load(Optional.of(file), List.of("time-zone=Europe/Paris",
                "events.excluded=[page_view, heartbeat]", "raw=s3a://acme-raw/beatline", "lake=s3a://acme-lake/beatline",
                "spark.conf.\"spark.sql.shuffle.partitions\"=2"));
        assertEquals(ZoneId.of("Europe/Paris"), config.timeZone());
        assertEquals(java.util.Set.of("page_view", "heartbeat"), config.events().excluded());
        assertEquals("s3a://acme-raw/beatline", config.raw(), "a value that is not HOCON is the text as given");
        assertEquals("s3a://acme-lake/beatline", config.lake());
        assertEquals("2", config.spark().conf().get("spark.sql.shuffle.partitions"));
        assertTrue(failure(file, "time-zone").getMessage().contains("expected key=value"));
    }

    @Test
    void unknownKeyNamesFileLineAndKey() throws IOException {
        Path file = write("typo.conf", "raw = \"r\"\n\nevents {\n  exclude = [\"page_view\"]\n}\n");
        String message = failure(file).getMessage();
        assertTrue(message.contains("typo.conf"), message);
        assertTrue(message.contains("line 4"), message);
        assertTrue(message.contains("'events.exclude'"), message);
        assertTrue(message.contains("excluded"), "lists the keys that exist: " + message);
    }

    @Test
    void wrongTypeNamesFileLineAndKey() throws IOException {
        Path file = write("types.conf", "events {\n  default-weight = \"heavy\"\n}\n");
        String message = failure(file).getMessage();
        assertTrue(message.contains("types.conf"), message);
        assertTrue(message.contains("line 2"), message);
        assertTrue(message.contains("events.default-weight"), message);
    }

    @Test
    void badValueNamesFileLineAndKey() throws IOException {
        Path file = write("zone.conf", "lake = \"l\"\ntime-zone = \"Mars/Olympus\"\n");
        String message = failure(file).getMessage();
        assertTrue(message.contains("zone.conf, line 2"), message);
        assertTrue(message.contains("'time-zone'"), message);
        assertTrue(message.contains("Mars/Olympus"), message);
    }

    @Test
    void nonNumericWeightIsRejected() throws IOException {
        Path file = write("w.conf", "events.weights { login = \"a lot\" }\n");
        String message = failure(file).getMessage();
        assertTrue(message.contains("w.conf, line 1"), message);
        assertTrue(message.contains("events.weights.login"), message);
    }

    @Test
    void badOverrideIsNamedAsSuch() throws IOException {
        Path file = write("ok.conf", "");
        assertTrue(failure(file, "time-zone=Nowhere/Land").getMessage().contains("--conf time-zone=Nowhere/Land"));
        assertTrue(failure(file, "no-equals-sign").getMessage().contains("key=value"));
        assertTrue(failure(file, "lakes=x").getMessage().contains("unknown key 'lakes'"));
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws IOException {
        Path file = write("broken.conf", "raw = \"r\"\nlake = {\n");
        String message = failure(file).getMessage();
        assertTrue(message.contains("broken.conf"), message);
        assertTrue(message.contains("line"), message);
    }

    @Test
    void theConfigFileSystemPropertyIsUsedWhenNoFileIsGiven() throws IOException {
        Path file = write("from-property.conf", "lake = \"/from/property\"\n");
        String previous = System.getProperty("config.file");
        System.setProperty("config.file", file.toString());
        try {
            assertEquals("/from/property", ConfigLoader.load(Optional.empty(), List.of()).lake());
        } finally {
            if (previous == null) {
                System.clearProperty("config.file");
            } else {
                System.setProperty("config.file", previous);
            }
        }
    }

    @Test
    void missingFileIsAConfigError() {
        assertTrue(failure(dir.resolve("nope.conf")).getMessage().contains("nope.conf does not exist"));
    }

    @Test
    void secretsAreMaskedAndLeftOutOfTheHash() throws IOException {
        Path file = write("s3.conf", "s3 { endpoint = \"http://127.0.0.1:9000\" }\n");
        BeatlineConfig one = ConfigLoader.load(Optional.of(file), List.of("s3.access-key=AKIA1", "s3.secret-key=topsecret"));
        BeatlineConfig two = ConfigLoader.load(Optional.of(file), List.of("s3.access-key=AKIA2", "s3.secret-key=other"));
        assertEquals(Optional.of("topsecret"), one.s3().secretKey());
        assertFalse(one.toString().contains("topsecret"), one.toString());
        assertFalse(one.toString().contains("AKIA1"), one.toString());
        assertEquals(one.hash(), two.hash(), "credentials do not change the config hash");
        BeatlineConfig three = ConfigLoader.load(Optional.of(file), List.of("time-zone=Europe/Paris"));
        assertNotEquals(one.hash(), three.hash());
    }
}
