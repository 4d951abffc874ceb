package io.beatline.cli;

import io.beatline.accounts.AccountKpisJob;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beatline account-kpis --as-of D}: the account_kpis partition for D. */
@Command(name = "account-kpis", mixinStandardHelpOptions = true,
        description = "Write account_kpis for one as-of date from user_engagement and the CRM as of that date.")
final class AccountKpisCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--as-of", required = true, paramLabel = "YYYY-MM-DD", description = "The as-of date.")
    LocalDate asOf;

    @Override
    public Integer call() {
        AccountKpisJob job = new AccountKpisJob(configOptions.context());
        long started = System.nanoTime();
        String message = job.run(asOf).message();
        System.out.println("account-kpis " + asOf + ": " + message + " (" + Beatline.seconds(started) + ")");
        return 0;
    }
}
