package io.beatline.cli;

import io.beatline.core.BeatlineException;
import io.beatline.core.JobContext;
import io.beatline.core.JobRunner;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code beatline} command: one entry point for every job, the same under spark-submit and
 * locally. Exit codes (SPEC 4): 0 success, 1 job failure, 2 usage or configuration error,
 * 3 input missing.
 */
@Command(name = "beatline",
        mixinStandardHelpOptions = true,
        versionProvider = Beatline.Version.class,
        description = "Batch pipeline on Spark and Delta Lake: events and CRM extracts into engagement, KPIs, metrics and segments.",
        subcommands = {
                RunCommand.class,
                IngestEventsCommand.class,
                IngestCrmCommand.class,
                ActivityCommand.class,
                EngagementCommand.class,
                MetricsCommand.class,
                SegmentsCommand.class,
                CheckCommand.class,
                MaintainCommand.class,
                ExportSegmentCommand.class,
                ValidateConfigCommand.class,
                GenerateDataCommand.class,
                SqlCommand.class,
                TablesCommand.class,
                PublishCatalogCommand.class,
                TrinoCatalogCommand.class,
                PublishJdbcCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Beatline implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "Missing command: try `beatline --help`.");
    }

    public static void main(String[] args) {
        int exitCode = execute(args);
        SparkSession.getActiveSession().foreach(session -> {
            session.stop();
            return null;
        });
        System.exit(exitCode);
    }

    /** Runs one command and returns its exit code; leaves any SparkSession running (tests share one). */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Beatline());
        commandLine.setExecutionExceptionHandler(Beatline::handle);
        return commandLine.execute(args);
    }

    private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = verbose(parseResult);
        if (e instanceof BeatlineException error) {
            err.println("beatline: " + error.getMessage());
            if (verbose && error.getCause() != null) {
                error.getCause().printStackTrace(err);
            }
            err.flush();
            return error.exitCode();
        }
        err.println("beatline: unexpected error: " + JobRunner.rootMessage(e));
        err.println("(run again with --verbose for the stack trace)");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return BeatlineException.Kind.JOB_FAILURE.exitCode;
    }

    /** Whether the command line asked for stack traces ({@code --verbose}, an option of every command's config). */
    private static boolean verbose(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult command = parseResult; command != null; command = command.subcommand()) {
            if (command.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Seconds since {@code startedNanos}, for the commands' one-line reports. */
    static String seconds(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"beatline " + JobContext.buildVersion()};
        }
    }
}
