package io.beatline.segments;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;

import io.beatline.config.SegmentRule.FieldCondition;
import io.beatline.config.SegmentRule.FieldOp;
import io.beatline.config.SegmentRule;
import io.beatline.segments.ProfileFields.FieldType;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * Compiles segment rules of one entity into boolean Spark columns over that entity's profile,
 * checking each field, operator and value against {@link ProfileFields} (a mismatch is a config
 * error naming segment, key and line). Every condition compiles to a column that is never null:
 * a null field fails every comparison except the negations ({@code !=}, {@code not-in},
 * {@code not-contains}, {@code is-not-set}, {@code not-within-last-days}), so all/any/not are
 * plain two-valued logic. What a rule needs beyond the profile (event counts over windows,
 * ranks, users-matching counts, sequences) is registered in {@link Features} and computed once
 * for all rules of the entity: from daily activity, or from events for a condition with a
 * {@code where} and for sequences.
 */
final class RuleCompiler {

    private static final Pattern RELATIVE_DATE = Pattern.compile("today\\s*(?:([+-])\\s*(\\d+))?");

    private final ProfileFields fields;
    private final LocalDate asOf;
    private final Features features;
    private final Map<String, String> segmentColumns;
    private final RuleCompiler users;

    /**
     * {@code segmentColumns}: the column of each segment of this entity; {@code users}: for
     * accounts, the compiler of users-matching rules (null for users).
     */
    RuleCompiler(ProfileFields fields, LocalDate asOf, Features features, Map<String, String> segmentColumns,
                 RuleCompiler users) {
        this.fields = fields;
        this.asOf = asOf;
        this.features = features;
        this.segmentColumns = segmentColumns;
        this.users = users;
    }

    Column compile(SegmentRule rule) {
        if (rule instanceof FieldCondition condition) {
            return field(condition);
        }
        if (rule instanceof SegmentRule.Done done) {
            Column count = col(features.count(done.events(), done.where(), 0, done.withinDays()));
            Column matches = count.geq(done.atLeast());
            return done.atMost().isPresent() ? matches.and(count.leq(done.atMost().get())) : matches;
        }
        if (rule instanceof SegmentRule.NotDone notDone) {
            return col(features.count(notDone.events(), notDone.where(), 0, notDone.withinDays())).equalTo(0);
        }
        if (rule instanceof SegmentRule.StoppedDoing stopped) {
            int days = stopped.withinDays();
            List<String> event = List.of(stopped.event());
            return col(features.count(event, stopped.where(), days, Optional.of(days))).gt(0)
                    .and(col(features.count(event, stopped.where(), 0, Optional.of(days))).equalTo(0));
        }
        if (rule instanceof SegmentRule.DoneRegularly regularly) {
            return col(features.periods(regularly.event(), regularly.where(), regularly.periods(), regularly.periodDays()))
                    .geq(regularly.atLeastPeriods());
        }
        if (rule instanceof SegmentRule.Sequence sequence) {
            return col(features.sequence(sequence.steps(), sequence.withinDays()));
        }
        if (rule instanceof SegmentRule.FirstDone first) {
            // done in the window, and never before it
            List<String> event = List.of(first.event());
            int days = first.withinDays();
            return col(features.count(event, Optional.empty(), 0, Optional.of(days))).gt(0)
                    .and(col(features.doneBefore(first.event(), days)).unary_$bang());
        }
        if (rule instanceof SegmentRule.InSegment in) {
            Column member = col(segmentColumns.get(in.segmentId()));
            return in.negated() ? member.unary_$bang() : member;
        }
        if (rule instanceof SegmentRule.UsersMatching matching) {
            Column userRule = users.compile(matching.rule());
            return col(features.usersMatching(userRule)).geq(matching.atLeast());
        }
        if (rule instanceof SegmentRule.Where where) {
            return coalesce(expr(where.expression()), lit(false));
        }
        if (rule instanceof SegmentRule.Combination combination) {
            Column combined = null;
            for (SegmentRule child : combination.rules()) {
                Column compiled = compile(child);
                combined = combined == null ? compiled : combination.all() ? combined.and(compiled) : combined.or(compiled);
            }
            return combined;
        }
        if (rule instanceof SegmentRule.Not not) {
            return compile(not.rule()).unary_$bang();
        }
        throw new IllegalArgumentException("no compiler for " + rule);
    }

    private Column field(FieldCondition condition) {
        SegmentRule.Source source = condition.source();
        FieldType type = fields.type(condition.field());
        if (type == null) {
            throw source.child("field", source.location()).problem("unknown " + fields.entity().configName() + " field '"
                    + condition.field() + "'. The fields are: " + String.join(", ", fields.names())
                    + ". (A CRM custom column becomes a field once typed in crm.custom-fields.)");
        }
        FieldOp op = condition.op();
        if (!fits(op, type)) {
            throw source.child("op", source.location()).problem("'" + op.configName + "' does not apply to field '"
                    + condition.field() + "', which is " + type.describe() + "; for " + type.describe()
                    + " use " + String.join(", ", applicable(type)));
        }
        Column field = col(quoted(condition.field()));
        Column test = switch (op) {
            case EQ -> comparable(field, type).equalTo(value(condition, 0, type));
            case NE -> comparable(field, type).notEqual(value(condition, 0, type));
            case LT -> comparable(field, type).lt(value(condition, 0, type));
            case LE -> comparable(field, type).leq(value(condition, 0, type));
            case GT -> comparable(field, type).gt(value(condition, 0, type));
            case GE -> comparable(field, type).geq(value(condition, 0, type));
            case BETWEEN -> comparable(field, type).between(value(condition, 0, type), value(condition, 1, type));
            case IN, NOT_IN -> {
                Column[] values = new Column[condition.values().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = value(condition, i, type);
                }
                Column in = comparable(field, type).isin((Object[]) values);
                yield op == FieldOp.IN ? in : in.unary_$bang();
            }
            case CONTAINS, NOT_CONTAINS -> {
                String text = text(condition, 0);
                Column contains = type == FieldType.LIST ? array_contains(field, text) : field.contains(text);
                yield op == FieldOp.CONTAINS ? contains : contains.unary_$bang();
            }
            case STARTS_WITH -> field.startsWith(text(condition, 0));
            case ENDS_WITH -> field.endsWith(text(condition, 0));
            case MATCHES -> field.rlike(text(condition, 0));
            case IS_SET, IS_NOT_SET -> {
                Column set = field.isNotNull();
                if (type == FieldType.STRING) {
                    set = set.and(trim(field).notEqual(""));
                } else if (type == FieldType.LIST) {
                    set = set.and(size(field).gt(0));
                }
                yield op == FieldOp.IS_SET ? set : set.unary_$bang();
            }
            case WITHIN_LAST_DAYS, NOT_WITHIN_LAST_DAYS -> {
                int days = wholeNumber(condition, 1);
                Column within = to_date(field).between(lit(Date.valueOf(asOf.minusDays(days - 1L))), lit(Date.valueOf(asOf)));
                yield op == FieldOp.WITHIN_LAST_DAYS ? within : within.unary_$bang();
            }
            case TOP_PERCENT, BOTTOM_PERCENT -> {
                double percent = percent(condition);
                Features.Rank rank = features.rank(condition.field(), op == FieldOp.TOP_PERCENT);
                // in the top p%: fewer than p% of the ranked entities come strictly before it
                yield col(rank.rankColumn()).minus(1).lt(col(rank.countColumn()).multiply(percent / 100.0));
            }
        };
        // a null field makes test null: false, except for the negations
        return coalesce(test, lit(op.trueOnNull()));
    }

    /** The operators that apply to a field type. */
    static boolean fits(FieldOp op, FieldType type) {
        return switch (op) {
            case EQ, NE, IN, NOT_IN -> type != FieldType.LIST;
            case LT, LE, GT, GE, BETWEEN -> type == FieldType.NUMBER || type == FieldType.DATE || type == FieldType.STRING;
            case CONTAINS, NOT_CONTAINS -> type == FieldType.STRING || type == FieldType.LIST;
            case STARTS_WITH, ENDS_WITH, MATCHES -> type == FieldType.STRING;
            case IS_SET, IS_NOT_SET -> true;
            case WITHIN_LAST_DAYS, NOT_WITHIN_LAST_DAYS -> type == FieldType.DATE;
            case TOP_PERCENT, BOTTOM_PERCENT -> type == FieldType.NUMBER;
        };
    }

    private static List<String> applicable(FieldType type) {
        List<String> ops = new ArrayList<>();
        for (FieldOp op : FieldOp.values()) {
            if (fits(op, type)) {
                ops.add(op.configName);
            }
        }
        return ops;
    }

    /** Dates compare as dates (a timestamp by its date in the session time zone). */
    private static Column comparable(Column field, FieldType type) {
        return type == FieldType.DATE ? to_date(field) : field;
    }

    /** The i-th value as a literal of the field's type; a value that does not fit is a config error. */
    private Column value(FieldCondition condition, int i, FieldType type) {
        Object value = condition.values().get(i);
        SegmentRule.Source at = condition.source().child("value", condition.source().location());
        switch (type) {
            case NUMBER -> {
                if (value instanceof Number number) {
                    return lit(number.doubleValue());
                }
                throw at.problem("field '" + condition.field() + "' is a number; '" + value + "' is not (write it unquoted)");
            }
            case DATE -> {
                return lit(Date.valueOf(date(String.valueOf(value), asOf, at)));
            }
            case BOOLEAN -> {
                if (value instanceof Boolean bool) {
                    return lit(bool);
                }
                throw at.problem("field '" + condition.field() + "' is a boolean; use true or false, not '" + value + "'");
            }
            default -> {
                return lit(value instanceof Number ? SegmentRule.Json.value(value) : String.valueOf(value));
            }
        }
    }

    /** {@code YYYY-MM-DD}, or relative to the as-of date: {@code today}, {@code today-30}, {@code today+7}. */
    static LocalDate date(String text, LocalDate asOf, SegmentRule.Source at) {
        Matcher relative = RELATIVE_DATE.matcher(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (relative.matches()) {
            if (relative.group(1) == null) {
                return asOf;
            }
            long days = Long.parseLong(relative.group(2));
            return relative.group(1).equals("-") ? asOf.minusDays(days) : asOf.plusDays(days);
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw at.problem("'" + text + "' is not a date: write YYYY-MM-DD, or today, today-30, today+7"
                    + " (relative to the as-of date)");
        }
    }

    private static String text(FieldCondition condition, int i) {
        Object value = condition.values().get(i);
        return value instanceof Number ? SegmentRule.Json.value(value) : String.valueOf(value);
    }

    private static int wholeNumber(FieldCondition condition, int minimum) {
        Object value = condition.values().get(0);
        if (!(value instanceof Number number) || number.doubleValue() % 1 != 0 || number.intValue() < minimum) {
            throw condition.source().child("value", condition.source().location()).problem(condition.op().configName
                    + " takes a whole number of days, at least " + minimum + ", not '" + value + "'");
        }
        return number.intValue();
    }

    private static double percent(FieldCondition condition) {
        Object value = condition.values().get(0);
        if (!(value instanceof Number number) || number.doubleValue() <= 0 || number.doubleValue() > 100) {
            throw condition.source().child("value", condition.source().location()).problem(condition.op().configName
                    + " takes a percentage above 0 and at most 100, not '" + value + "'");
        }
        return number.doubleValue();
    }

    /** {@code account.arr} as {@code `account`.`arr`}, so odd custom column names resolve too. */
    static String quoted(String field) {
        StringBuilder out = new StringBuilder();
        for (String part : field.split("\\.", 2)) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append('`').append(part.replace("`", "``")).append('`');
        }
        return out.toString();
    }

    /**
     * The extra columns the compiled rules of one entity read, each registered once however many
     * rules use it: counted events of an event (or {@code *}) over a window, periods with the
     * event, ranks of a field, and (accounts) how many of an account's users match a user rule.
     */
    static final class Features {

        /**
         * Counted occurrences of any of {@code events} ({@code *}: any event) that pass
         * {@code where}, in the {@code days} days ending {@code offset} days before D; all time
         * without days. Without a where it is read from daily activity, with one from events.
         */
        record Count(List<String> events, Optional<String> where, int offset, Optional<Integer> days) {
        }

        /** How many of the last {@code periods} periods of {@code periodDays} days have the event (passing where). */
        record Periods(String event, Optional<String> where, int periods, int periodDays) {
        }

        /**
         * Whether the entity did the event before the window of the last {@code days} days: read
         * from the monthly rollups' event lists for the months before the window's month, and
         * from daily activity for the days of that month before the window, so it costs months,
         * not every day of history.
         */
        record DoneBefore(String event, int days) {

            /** The window's first day. */
            LocalDate windowStart(LocalDate asOf) {
                return asOf.minusDays(days - 1L);
            }
        }

        /** Whether the entity did the steps in order (each at a later ts) within the last {@code days} days. */
        record Sequence(List<String> steps, int days) {
        }

        /** The rank of a field (1 = first), descending for top-percent; {@code countColumn}: how many entities have the field. */
        record Rank(String field, boolean descending, String rankColumn, String countColumn) {
        }

        /** A user rule whose matching users are counted per account. */
        record UsersMatching(Column userRule, String userColumn, String countColumn) {
        }

        final Map<Count, String> counts = new LinkedHashMap<>();
        final Map<Periods, String> periods = new LinkedHashMap<>();
        final Map<Sequence, String> sequences = new LinkedHashMap<>();
        final Map<DoneBefore, String> doneBefore = new LinkedHashMap<>();
        final Map<String, Rank> ranks = new LinkedHashMap<>();
        final List<UsersMatching> usersMatching = new ArrayList<>();
        private final String prefix;

        Features(String prefix) {
            this.prefix = prefix;
        }

        String count(List<String> events, Optional<String> where, int offset, Optional<Integer> days) {
            return counts.computeIfAbsent(new Count(List.copyOf(events), where, offset, days), k -> prefix + "count_" + counts.size());
        }

        String periods(String event, Optional<String> where, int periodCount, int periodDays) {
            return periods.computeIfAbsent(new Periods(event, where, periodCount, periodDays),
                    k -> prefix + "periods_" + periods.size());
        }

        String doneBefore(String event, int days) {
            return doneBefore.computeIfAbsent(new DoneBefore(event, days), k -> prefix + "done_before_" + doneBefore.size());
        }

        String sequence(List<String> steps, int days) {
            return sequences.computeIfAbsent(new Sequence(List.copyOf(steps), days), k -> prefix + "sequence_" + sequences.size());
        }

        Rank rank(String field, boolean descending) {
            return ranks.computeIfAbsent(field + (descending ? " desc" : " asc"), k -> new Rank(field, descending,
                    prefix + "rank_" + ranks.size(), prefix + "ranked_" + ranks.size()));
        }

        String usersMatching(Column userRule) {
            int index = usersMatching.size();
            usersMatching.add(new UsersMatching(userRule, prefix + "user_matches_" + index, prefix + "users_matching_" + index));
            return usersMatching.get(index).countColumn();
        }

        /** The earliest daily-activity date a count or period without a where reads; empty when one reads all time. */
        Optional<LocalDate> readFrom(LocalDate asOf) {
            return earliest(asOf, false);
        }

        /** The earliest event date a count or period with a where, or a sequence, reads; empty when one reads all time. */
        Optional<LocalDate> eventsReadFrom(LocalDate asOf) {
            return earliest(asOf, true);
        }

        private Optional<LocalDate> earliest(LocalDate asOf, boolean fromEvents) {
            LocalDate earliest = asOf;
            for (Count count : counts.keySet()) {
                if (count.where().isPresent() != fromEvents) {
                    continue;
                }
                if (count.days().isEmpty()) {
                    return Optional.empty();
                }
                LocalDate start = asOf.minusDays(count.offset() + count.days().get() - 1L);
                earliest = start.isBefore(earliest) ? start : earliest;
            }
            for (Periods period : periods.keySet()) {
                if (period.where().isPresent() != fromEvents) {
                    continue;
                }
                LocalDate start = asOf.minusDays((long) period.periods() * period.periodDays() - 1L);
                earliest = start.isBefore(earliest) ? start : earliest;
            }
            if (!fromEvents) {
                for (DoneBefore before : doneBefore.keySet()) {
                    LocalDate start = before.windowStart(asOf).withDayOfMonth(1);
                    earliest = start.isBefore(earliest) ? start : earliest;
                }
            }
            if (fromEvents) {
                for (Sequence sequence : sequences.keySet()) {
                    LocalDate start = asOf.minusDays(sequence.days() - 1L);
                    earliest = start.isBefore(earliest) ? start : earliest;
                }
            }
            return Optional.of(earliest);
        }

        boolean needsActivity() {
            return counts.keySet().stream().anyMatch(c -> c.where().isEmpty())
                    || periods.keySet().stream().anyMatch(p -> p.where().isEmpty()) || !doneBefore.isEmpty();
        }

        /** Whether a condition reads the monthly rollups (first-done). */
        boolean needsMonthly() {
            return !doneBefore.isEmpty();
        }

        boolean needsEvents() {
            return counts.keySet().stream().anyMatch(c -> c.where().isPresent())
                    || periods.keySet().stream().anyMatch(p -> p.where().isPresent()) || !sequences.isEmpty();
        }

        /**
         * The events the conditions that read events look at (those with a where, and the
         * sequences' steps); empty when one of them looks at any event ({@code *}).
         */
        Optional<Set<String>> eventsRead() {
            Set<String> events = new TreeSet<>();
            counts.keySet().stream().filter(c -> c.where().isPresent()).forEach(c -> events.addAll(c.events()));
            periods.keySet().stream().filter(p -> p.where().isPresent()).forEach(p -> events.add(p.event()));
            sequences.keySet().forEach(sequence -> events.addAll(sequence.steps()));
            return events.contains("*") ? Optional.empty() : Optional.of(events);
        }
    }
}
