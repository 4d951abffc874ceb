package io.beatline.cli;

import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.serving.TrinoCatalog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline publish-catalog}: registers every table of the lake in Trino under its SQL name; idempotent. */
@Command(name = "publish-catalog", mixinStandardHelpOptions = true,
        description = "Create the schema catalog.database in Trino and register every table of the lake under its SQL name"
                + " (idempotent; later Delta versions are seen without publishing again). See docs/bi.md.")
final class PublishCatalogCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--url", paramLabel = "JDBC-URL",
            description = "Trino's JDBC URL, e.g. jdbc:trino://127.0.0.1:8080 (default: catalog.trino.url).")
    String url;

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        String target = url != null ? url : context.config().catalog().trinoUrl().orElseThrow(() -> new BeatlineException(
                BeatlineException.Kind.USAGE, "no Trino to publish to: give --url jdbc:trino://127.0.0.1:8080 or set catalog.trino.url"));
        if (!target.startsWith("jdbc:trino://")) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "--url " + target + " is not a Trino JDBC URL (jdbc:trino://host:port)");
        }
        long started = System.nanoTime();
        TrinoCatalog.Published published = TrinoCatalog.publish(context.config(), context.store(), target);
        System.out.println("publish-catalog: " + published.message() + " (" + Beatline.seconds(started) + ")");
        if (!published.registered().isEmpty()) {
            System.out.println("  registered: " + String.join(", ", published.registered()));
        }
        return 0;
    }
}
