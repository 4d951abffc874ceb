package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.maintenance.LakeMaintenance;
import io.beatline.serving.LakeTables;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline maintain}: compaction, VACUUM and checkpoints of every table (weekly; docs/operations.md). */
@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Compact the partitions written since the last maintenance, VACUUM files older than"
                + " maintenance.retain-hours that no version needs, and checkpoint every table.")
final class MaintainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--retain-hours", paramLabel = "HOURS",
            description = "Override maintenance.retain-hours for this run (at least 168 unless --force).")
    Integer retainHours;

    @Option(names = "--force", description = "Allow a retention below Delta's safe minimum of 168 hours:"
            + " only when no other job can be reading or writing the lake.")
    boolean force;

    @Override
    public Integer call() {
        JobContext context = configOptions.context();
        long started = System.nanoTime();
        LakeMaintenance maintenance = new LakeMaintenance(context, Optional.ofNullable(retainHours), force);
        JobResult result = maintenance.run(LakeTables.all(), LocalDate.now(context.config().timeZone()));
        System.out.println(LakeMaintenance.JOB + ": " + result.message() + " (" + Beatline.seconds(started) + ")");
        result.parts().forEach(part -> System.out.println("  " + part.message()));
        return 0;
    }
}
