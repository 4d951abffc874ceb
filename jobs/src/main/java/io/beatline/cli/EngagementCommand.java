package io.beatline.cli;

import io.beatline.core.JobContext;
import io.beatline.core.Stage;
import io.beatline.engagement.EngagementJob;
import picocli.CommandLine.Command;

/** {@code beatline engagement --as-of D}: the user_engagement partition for D. */
@Command(name = "engagement", mixinStandardHelpOptions = true,
        description = "Write user_engagement for one as-of date from user_daily_activity and the CRM as of that date.")
final class EngagementCommand extends AsOfCommand {

    @Override
    Stage stage(JobContext context) {
        return new EngagementJob(context);
    }
}
