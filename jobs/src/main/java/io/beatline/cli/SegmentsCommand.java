package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import io.beatline.segments.SegmentsJob;
import java.time.LocalDate;
import picocli.CommandLine.Command;

/** {@code beatline segments --as-of D}: segment membership, changes, history, definitions and summary for D. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Evaluate every segment (config `segments`) for one as-of date: membership, changes, history, summary.")
final class SegmentsCommand extends AsOfCommand {

    @Override
    JobResult run(JobContext context, LocalDate asOf) {
        return new SegmentsJob(context).run(asOf);
    }
}
