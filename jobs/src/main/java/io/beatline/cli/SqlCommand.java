package io.beatline.cli;

import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.serving.QueryOutput;
import io.beatline.serving.SqlViews;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code beatline sql "<query>"}: Spark SQL over the tables' SQL names, printed as a table, CSV or JSON lines. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Spark SQL query over the lake's tables by their SQL names (user_engagement, account_kpis,"
                + " silver_events, meta_pipeline_runs, ...; `beatline tables` lists them) and print the result.")
final class SqlCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Parameters(index = "0", paramLabel = "QUERY", description = "The query, e.g. \"SELECT lifecycle, count(*) FROM user_engagement GROUP BY 1\".")
    String query;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (aligned, the default), csv (with a header row) or json (one object per line).")
    String format;

    @Option(names = "--max-rows", paramLabel = "N",
            description = "Print at most N rows; 0 prints all (default: 1000 for table, all for csv and json).")
    Long maxRows;

    @Override
    public Integer call() {
        QueryOutput.Format output;
        try {
            output = QueryOutput.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw new BeatlineException(BeatlineException.Kind.USAGE, "--format: " + e.getMessage());
        }
        JobContext context = configOptions.context();
        SqlViews.registerFor(context.store(), query);
        long limit = maxRows != null ? maxRows : output == QueryOutput.Format.TABLE ? 1000 : 0;
        QueryOutput.print(SqlViews.query(context.store(), query), output, limit, System.out);
        System.out.flush();
        return 0;
    }
}
