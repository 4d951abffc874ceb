package io.beatline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.ConfigLoader;
import io.beatline.core.BeatlineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Trino catalog file `beatline trino-catalog` writes for a local and an s3a lake, and the catalog keys' checks. */
class TrinoCatalogTest {

    @TempDir
    Path dir;

    private BeatlineConfig config(String... overrides) throws IOException {
        Path file = dir.resolve("test.conf");
        Files.writeString(file, "# defaults\n");
        return ConfigLoader.load(Optional.of(file), List.of(overrides));
    }

    @Test
    void aLocalLakeIsServedThroughTrinosLocalFileSystemWithAFileMetastoreInsideIt() throws IOException {
        BeatlineConfig config = config("lake=\"" + dir.resolve("lake") + "\"");
        Map<String, String> properties = TrinoCatalog.properties(config);
        assertEquals("delta_lake", properties.get("connector.name"));
        assertEquals("true", properties.get("fs.native-local.enabled"));
        assertEquals(dir.resolve("lake").toString(), properties.get("local.location"));
        assertEquals("file", properties.get("hive.metastore"));
        assertEquals("local:///_trino_metastore", properties.get("hive.metastore.catalog.dir"));
        assertEquals("true", properties.get("delta.register-table-procedure.enabled"));
        assertEquals("local:///gold/user_engagement", TrinoCatalog.location(config, "gold/user_engagement"));
    }

    @Test
    void anS3aLakeUsesTrinosS3WithAThriftOrGlueMetastoreAndNamesTheKeysItNeverWrites() throws IOException {
        BeatlineConfig thrift = config("lake=\"s3a://acme-lake/beatline/\"", "s3.endpoint=\"http://127.0.0.1:9000\"",
                "s3.path-style-access=true", "s3.access-key=AKIAEXAMPLE", "s3.secret-key=very-secret",
                "catalog.trino.metastore=thrift", "catalog.trino.metastore-uri=\"thrift://metastore:9083\"");
        Map<String, String> properties = TrinoCatalog.properties(thrift);
        assertEquals("true", properties.get("fs.native-s3.enabled"));
        assertEquals("http://127.0.0.1:9000", properties.get("s3.endpoint"));
        assertEquals("true", properties.get("s3.path-style-access"));
        assertEquals("${ENV:BEATLINE_S3_SECRET_KEY}", properties.get("s3.aws-secret-key"));
        assertEquals("thrift://metastore:9083", properties.get("hive.metastore.uri"));
        assertFalse(TrinoCatalog.propertiesFile(thrift).contains("very-secret"));
        assertFalse(TrinoCatalog.propertiesFile(thrift).contains("AKIAEXAMPLE"));
        assertEquals("s3://acme-lake/beatline/gold/account_kpis", TrinoCatalog.location(thrift, "gold/account_kpis"));

        Map<String, String> glue = TrinoCatalog.properties(config("lake=\"s3a://acme-lake\"", "s3.region=eu-west-1",
                "catalog.trino.metastore=glue"));
        assertEquals("glue", glue.get("hive.metastore"));
        assertEquals("eu-west-1", glue.get("hive.metastore.glue.region"));
        assertFalse(glue.containsKey("s3.aws-access-key"), "no keys configured: Trino's default AWS chain");
    }

    @Test
    void catalogKeysAreCheckedAndLeaveTheConfigHashAlone() throws IOException {
        BeatlineException url = assertThrows(BeatlineException.class, () -> config("catalog.trino.url=\"http://127.0.0.1:8080\""));
        assertTrue(url.getMessage().contains("catalog.trino.url") && url.getMessage().contains("jdbc:trino://"), url.getMessage());
        BeatlineException thrift = assertThrows(BeatlineException.class, () -> config("catalog.trino.metastore=thrift"));
        assertTrue(thrift.getMessage().contains("catalog.trino.metastore-uri"), thrift.getMessage());
        BeatlineException database = assertThrows(BeatlineException.class, () -> config("catalog.database=\"My DB\""));
        assertEquals(2, database.exitCode());
        assertEquals(config().hash(), config("catalog.trino.url=\"jdbc:trino://127.0.0.1:8080\"").hash());
    }
}
