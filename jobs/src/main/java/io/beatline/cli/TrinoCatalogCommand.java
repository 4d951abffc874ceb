package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.serving.TrinoCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline trino-catalog}: the Trino Delta Lake catalog file for the configured lake; starts no Spark. */
@Command(name = "trino-catalog", mixinStandardHelpOptions = true,
        description = "Print (or write with --out) the Trino catalog properties for the configured lake: a local folder with"
                + " Trino's file metastore, or s3a:// with a Hive thrift metastore or AWS Glue (catalog.trino.*). scripts/trino uses it.")
final class TrinoCatalogCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Write it as DIR/<catalog.trino.catalog>.properties (Trino's etc/catalog) instead of printing it.")
    Path outDir;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        String text = TrinoCatalog.propertiesFile(config);
        if (outDir == null) {
            System.out.print(text);
        } else {
            Path out = outDir.resolve(config.catalog().trinoCatalog() + ".properties");
            try {
                Files.createDirectories(outDir);
                Files.writeString(out, text);
                System.out.println(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }
}
