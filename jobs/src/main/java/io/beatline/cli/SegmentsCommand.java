package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.segments.SegmentsJob;
import picocli.CommandLine.Command;

/** {@code beatline segments --as-of D}: segment membership, changes, history, definitions and summary for D. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "Evaluate every segment (config `segments`) for one as-of date: membership, changes, history, summary.")
final class SegmentsCommand extends AsOfCommand {

    @Override
    Stage stage(JobContext context) {
        return new SegmentsJob(context);
    }
}
