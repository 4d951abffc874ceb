package io.beatline.cli;

import io.beatline.accounts.AccountKpisJob;
import io.beatline.core.JobContext;
import io.beatline.core.JobResult;
import java.time.LocalDate;
import picocli.CommandLine.Command;

/** {@code beatline account-kpis --as-of D}: the account_kpis partition for D. */
@Command(name = "account-kpis", mixinStandardHelpOptions = true,
        description = "Write account_kpis for one as-of date from user_engagement and the CRM as of that date.")
final class AccountKpisCommand extends AsOfCommand {

    @Override
    JobResult run(JobContext context, LocalDate asOf) {
        return new AccountKpisJob(context).run(asOf);
    }
}
