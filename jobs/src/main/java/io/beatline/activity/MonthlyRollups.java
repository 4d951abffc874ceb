package io.beatline.activity;

import io.beatline.core.BeatlineException;
import io.beatline.core.TableSpec;
import io.beatline.core.TableStore;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which months the monthly rollups ({@code user_monthly_activity}, {@code user_monthly_events})
 * are current for. Every reader of a rollup for D reads the months before D's month (and the
 * daily rows of D's month itself), so a month is rolled up once it is closed for the runs that
 * read it: the activity stage rolls up a month that changed when it runs for a date in a later
 * month, and leaves the open month (D's) without rollup rows until then, instead of rolling the
 * whole month up again every day. A month with daily activity and no rollup rows is therefore
 * one still to roll up. Found from the tables' file listings (partition folders), without a
 * Spark job.
 */
public final class MonthlyRollups {

    private static final Pattern DATE_FOLDER = Pattern.compile("/(?:activity_date|month)=(\\d{4}-\\d{2})-\\d{2}/");

    private MonthlyRollups() {
    }

    /** The months a table partitioned by a date (activity_date or month) holds files for. */
    static TreeSet<LocalDate> months(TableStore store, TableSpec table) {
        TreeSet<LocalDate> months = new TreeSet<>();
        if (!store.exists(table)) {
            return months;
        }
        for (String file : store.read(table).inputFiles()) {
            Matcher folder = DATE_FOLDER.matcher(file);
            if (folder.find()) {
                months.add(LocalDate.parse(folder.group(1) + "-01"));
            }
        }
        return months;
    }

    /**
     * The months of daily activity that both rollups hold (user_monthly_activity's alone in a
     * lake of a beatline before user_monthly_events, whose readers then read daily rows).
     */
    static TreeSet<LocalDate> rolledUp(TableStore store) {
        TreeSet<LocalDate> months = months(store, UserMonthlyActivity.TABLE);
        if (store.exists(UserMonthlyEvents.TABLE)) {
            months.retainAll(months(store, UserMonthlyEvents.TABLE));
        }
        return months;
    }

    /** The months before {@code asOf}'s that have daily activity and are not rolled up. */
    static TreeSet<LocalDate> toRollUp(TableStore store, LocalDate asOf) {
        return toRollUp(store, asOf, rolledUp(store));
    }

    /** {@link #toRollUp(TableStore, LocalDate)} with the months {@link #rolledUp} gave. */
    static TreeSet<LocalDate> toRollUp(TableStore store, LocalDate asOf, TreeSet<LocalDate> rolledUp) {
        TreeSet<LocalDate> months = new TreeSet<>(months(store, UserDailyActivity.TABLE).headSet(asOf.withDayOfMonth(1)));
        months.removeAll(rolledUp);
        return months;
    }

    /**
     * For a stage that reads the rollups for {@code asOf}: fails, naming the command to run,
     * when a month before asOf's has daily activity but no rollup (activity has not run for a
     * date of asOf's month since that month closed).
     */
    public static void requireRolledUp(TableStore store, LocalDate asOf, String stage) {
        List<LocalDate> missing = List.copyOf(toRollUp(store, asOf));
        if (!missing.isEmpty()) {
            throw BeatlineException.jobFailure(stage + " for " + asOf + " reads the monthly rollups of the months before "
                    + asOf.withDayOfMonth(1) + ", and " + missing.get(missing.size() - 1).toString().substring(0, 7)
                    + " is not rolled up yet: run `beatline activity --as-of " + asOf + "` first (or `beatline run --as-of "
                    + asOf + "`).", null);
        }
    }
}
