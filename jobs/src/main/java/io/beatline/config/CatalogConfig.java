package io.beatline.config;

import java.util.Optional;

/**
 * Config {@code catalog}: the SQL database the tables are named in ({@code database}) and the
 * Trino endpoint BI tools connect to (SPEC 3.6, docs/bi.md). {@code trinoUrl}, when set, makes
 * {@code run} publish the catalog at its end. {@code metastore} is where Trino keeps the table
 * registrations: a file metastore beside a local lake, or a Hive thrift metastore or AWS Glue.
 */
public record CatalogConfig(
        String database,
        Optional<String> trinoUrl,
        String trinoCatalog,
        String trinoUser,
        Metastore metastore,
        Optional<String> metastoreUri,
        String glueRegion) {

    /** Where Trino keeps its table registrations. */
    public enum Metastore {
        FILE, THRIFT, GLUE
    }
}
