package io.beatline.cli;

import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.serving.JdbcPublish;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline publish-jdbc --url jdbc:postgresql://... --as-of D}: the gold rows of D into PostgreSQL, each table swapped whole. */
@Command(name = "publish-jdbc", mixinStandardHelpOptions = true,
        description = "Copy the gold rows of D (user_engagement, account_kpis, metric_values, segment_membership, and the"
                + " segment_changes of the last 90 days) into a PostgreSQL schema, all tables swapped in one transaction."
                + " Credentials: BEATLINE_JDBC_USER and BEATLINE_JDBC_PASSWORD.")
final class PublishJdbcCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--url", required = true, paramLabel = "JDBC-URL",
            description = "e.g. jdbc:postgresql://db.internal:5432/analytics")
    String url;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date to publish.")
    LocalDate asOf;

    @Option(names = "--schema", paramLabel = "NAME", description = "The PostgreSQL schema (default: catalog.database).")
    String schema;

    @Override
    public Integer call() {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new BeatlineException(BeatlineException.Kind.USAGE,
                    "--url " + JdbcPublish.redact(url) + " is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        JobContext context = configOptions.context();
        String target = schema != null ? schema : context.config().catalog().database();
        if (!target.matches("[a-z_][a-z0-9_]*")) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "--schema " + target + " is not a plain SQL name");
        }
        long started = System.nanoTime();
        JobResult result = new JdbcPublish(context).publish(url, target, asOf);
        System.out.println("publish-jdbc: " + result.message() + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
