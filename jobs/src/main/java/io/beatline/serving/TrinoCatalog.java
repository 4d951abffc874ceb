package io.beatline.serving;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.CatalogConfig;
import io.beatline.core.BeatlineException;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Trino as the BI endpoint (SPEC 3.6): the Delta Lake catalog file for the configured lake, and
 * the registration of every table in Trino under its SQL name. Trino reads each table's Delta log
 * itself, so a table registered once shows every later version (and its comments) without being
 * registered again.
 */
public final class TrinoCatalog {

    /** What a publish did: the tables it registered now, and those Trino already had. */
    public record Published(String schema, List<String> registered, List<String> alreadyRegistered) {
        public String message() {
            return "Trino " + schema + ": " + registered.size() + " tables registered, " + alreadyRegistered.size()
                    + " already registered";
        }
    }

    private TrinoCatalog() {
    }

    /**
     * The lines of {@code etc/catalog/<catalog>.properties} for the lake: a local lake through
     * Trino's local file system with a file metastore inside the lake ({@code _trino_metastore});
     * an s3a:// lake through Trino's S3 file system with a Hive thrift metastore, AWS Glue, or a
     * file metastore beside the lake. Credentials are never written: the file names the
     * environment variables beatline reads them from.
     */
    public static Map<String, String> properties(BeatlineConfig config) {
        CatalogConfig catalog = config.catalog();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("connector.name", "delta_lake");
        properties.put("delta.register-table-procedure.enabled", "true");
        if (isObjectStore(config.lake())) {
            properties.put("fs.native-s3.enabled", "true");
            properties.put("s3.region", config.s3().region());
            config.s3().endpoint().ifPresent(endpoint -> properties.put("s3.endpoint", endpoint));
            properties.put("s3.path-style-access", String.valueOf(config.s3().pathStyleAccess()));
            if (config.s3().accessKey().isPresent()) {
                properties.put("s3.aws-access-key", "${ENV:BEATLINE_S3_ACCESS_KEY}");
                properties.put("s3.aws-secret-key", "${ENV:BEATLINE_S3_SECRET_KEY}");
            }
        } else {
            properties.put("fs.native-local.enabled", "true");
            properties.put("local.location", Path.of(config.lake()).toAbsolutePath().normalize().toString());
        }
        switch (catalog.metastore()) {
            case FILE -> {
                properties.put("hive.metastore", "file");
                properties.put("hive.metastore.catalog.dir", location(config, "_trino_metastore"));
            }
            case THRIFT -> {
                properties.put("hive.metastore", "thrift");
                properties.put("hive.metastore.uri", catalog.metastoreUri().orElseThrow());
            }
            case GLUE -> {
                properties.put("hive.metastore", "glue");
                properties.put("hive.metastore.glue.region", catalog.glueRegion());
            }
        }
        return properties;
    }

    /** The catalog file's text, with a header saying where it came from. */
    public static String propertiesFile(BeatlineConfig config) {
        StringBuilder text = new StringBuilder("# Trino catalog for the beatline lake " + config.lake()
                + "\n# written by `beatline trino-catalog` from " + config.origin() + "\n");
        properties(config).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    /** Where Trino finds {@code relativePath} of the lake: {@code local:///...} or {@code s3://bucket/...}. */
    static String location(BeatlineConfig config, String relativePath) {
        if (isObjectStore(config.lake())) {
            URI lake = URI.create(config.lake());
            String path = lake.getPath() == null ? "" : lake.getPath().replaceAll("/+$", "");
            return "s3://" + lake.getAuthority() + path + "/" + relativePath;
        }
        return "local:///" + relativePath;
    }

    private static boolean isObjectStore(String lake) {
        return lake.startsWith("s3a://") || lake.startsWith("s3://");
    }

    /**
     * Creates the schema {@code catalog.database} if needed and registers every table of the lake
     * that Trino does not have yet; idempotent. {@code url} is a Trino JDBC URL.
     */
    public static Published publish(BeatlineConfig config, TableStore store, String url) {
        CatalogConfig catalog = config.catalog();
        String schema = catalog.trinoCatalog() + "." + catalog.database();
        Properties properties = new Properties();
        properties.setProperty("user", catalog.trinoUser());
        try (Connection connection = DriverManager.getConnection(url, properties); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            Set<String> existing = new TreeSet<>();
            try (ResultSet tables = statement.executeQuery("SHOW TABLES FROM " + schema)) {
                while (tables.next()) {
                    existing.add(tables.getString(1));
                }
            }
            List<String> registered = new ArrayList<>();
            List<String> already = new ArrayList<>();
            for (TableSpec table : LakeTables.all()) {
                if (!store.exists(table)) {
                    continue;
                }
                if (existing.contains(table.sqlName())) {
                    already.add(table.sqlName());
                    continue;
                }
                statement.execute("CALL " + catalog.trinoCatalog() + ".system.register_table(schema_name => '"
                        + catalog.database() + "', table_name => '" + table.sqlName() + "', table_location => '"
                        + location(config, table.relativePath()) + "')");
                registered.add(table.sqlName());
            }
            return new Published(schema, registered, already);
        } catch (SQLException e) {
            throw BeatlineException.jobFailure("publishing the catalog to Trino at " + url + " failed: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("Connection refused")
                    ? " (is Trino running? scripts/trino start)" : ""), e);
        }
    }
}
