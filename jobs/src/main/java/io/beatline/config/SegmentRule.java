package io.beatline.config;

import io.beatline.core.BeatlineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A segment's rule (SPEC 3.4), as parsed from config: field conditions, behavioural conditions
 * over daily activity, references to other segments, Spark SQL, and all/any/not. Every node
 * knows where it was written ({@link Source}) so a later check can name the key and the line.
 * {@link #toJson()} is the canonical form: keys sorted, defaults filled in.
 */
public sealed interface SegmentRule {

    Source source();

    String toJson();

    /** The conditions directly inside a combination, a not or a users-matching. */
    static List<SegmentRule> children(SegmentRule rule) {
        if (rule instanceof SegmentRule.Combination combination) {
            return combination.rules();
        }
        if (rule instanceof SegmentRule.Not not) {
            return List.of(not.rule());
        }
        if (rule instanceof SegmentRule.UsersMatching users) {
            return List.of(users.rule());
        }
        return List.of();
    }

    /** Every in-segment / not-in-segment reference in a rule, users-matching rules included. */
    static List<SegmentRule.InSegment> references(SegmentRule rule) {
        List<SegmentRule.InSegment> found = new ArrayList<>();
        collect(rule, found);
        return found;
    }

    private static void collect(SegmentRule rule, List<SegmentRule.InSegment> found) {
        if (rule instanceof SegmentRule.InSegment in) {
            found.add(in);
        }
        children(rule).forEach(child -> collect(child, found));
    }

    /** Where a node was written: the segment, the key below the segment, and file and line. */
    record Source(String segment, String key, String location) {

        public Source child(String childKey, String childLocation) {
            return new Source(segment, key + "." + childKey, childLocation);
        }

        public Source withLocation(String otherLocation) {
            return new Source(segment, key, otherLocation);
        }

        /** A config error about this node: file and line, segment, key, then the problem. */
        public BeatlineException problem(String problem) {
            return new BeatlineException(BeatlineException.Kind.CONFIG, "Configuration error in " + location + ": segment '"
                    + segment + "', key '" + key + "': " + problem);
        }
    }

    /** The operators of a field condition, with the config name and how many values each takes. */
    enum FieldOp {
        EQ("=", Arity.ONE), NE("!=", Arity.ONE), LT("<", Arity.ONE), LE("<=", Arity.ONE), GT(">", Arity.ONE),
        GE(">=", Arity.ONE), BETWEEN("between", Arity.TWO), IN("in", Arity.LIST), NOT_IN("not-in", Arity.LIST),
        CONTAINS("contains", Arity.ONE), NOT_CONTAINS("not-contains", Arity.ONE), STARTS_WITH("starts-with", Arity.ONE),
        ENDS_WITH("ends-with", Arity.ONE), MATCHES("matches", Arity.ONE), IS_SET("is-set", Arity.NONE),
        IS_NOT_SET("is-not-set", Arity.NONE), WITHIN_LAST_DAYS("within-last-days", Arity.ONE),
        NOT_WITHIN_LAST_DAYS("not-within-last-days", Arity.ONE), TOP_PERCENT("top-percent", Arity.ONE),
        BOTTOM_PERCENT("bottom-percent", Arity.ONE);

        /** How many values an operator takes: none, one, a pair [a, b], or a list. */
        public enum Arity { NONE, ONE, TWO, LIST }

        public final String configName;
        public final Arity arity;

        FieldOp(String configName, Arity arity) {
            this.configName = configName;
            this.arity = arity;
        }

        /** Negations pass on a null field (SPEC 3.4); every other operator fails on it. */
        public boolean trueOnNull() {
            return this == NE || this == NOT_IN || this == NOT_CONTAINS || this == IS_NOT_SET || this == NOT_WITHIN_LAST_DAYS;
        }

        public static Optional<FieldOp> named(String name) {
            for (FieldOp op : values()) {
                if (op.configName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return Optional.of(op);
                }
            }
            return Optional.empty();
        }

        public static String names() {
            return java.util.Arrays.stream(values()).map(op -> op.configName).collect(Collectors.joining(", "));
        }
    }

    /** {@code { field = F, op = O, value = V }}; values are HOCON's (numbers, strings, booleans). */
    record FieldCondition(String field, FieldOp op, List<Object> values, Source source) implements SegmentRule {
        public FieldCondition {
            values = List.copyOf(values);
        }

        @Override
        public String toJson() {
            String value = switch (op.arity) {
                case NONE -> "";
                case ONE -> ",\"value\":" + Json.value(values.get(0));
                case TWO, LIST -> ",\"value\":" + Json.array(values);
            };
            return "{\"field\":" + Json.string(field) + ",\"op\":" + Json.string(op.configName) + value + "}";
        }
    }

    /**
     * {@code { done = E, within-days = N, at-least = K, at-most = M, where = "..." }}: E is one
     * event or a list (any of them); no window is all time; {@code where} filters the events.
     */
    record Done(List<String> events, Optional<Integer> withinDays, int atLeast, Optional<Integer> atMost,
                Optional<String> where, Source source) implements SegmentRule {
        public Done {
            events = List.copyOf(events);
        }

        @Override
        public String toJson() {
            return "{\"at-least\":" + atLeast + atMost.map(m -> ",\"at-most\":" + m).orElse("")
                    + ",\"done\":" + Json.events(events) + Json.where(where)
                    + withinDays.map(d -> ",\"within-days\":" + d).orElse("") + "}";
        }
    }

    /** {@code { not-done = E, within-days = N, where = "..." }}; E one event or a list; no window is never. */
    record NotDone(List<String> events, Optional<Integer> withinDays, Optional<String> where, Source source)
            implements SegmentRule {
        public NotDone {
            events = List.copyOf(events);
        }

        @Override
        public String toJson() {
            return "{\"not-done\":" + Json.events(events) + Json.where(where)
                    + withinDays.map(d -> ",\"within-days\":" + d).orElse("") + "}";
        }
    }

    /** {@code { stopped-doing = E, within-days = N, where = "..." }}: done in the previous N days, not in the last N. */
    record StoppedDoing(String event, int withinDays, Optional<String> where, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"stopped-doing\":" + Json.string(event) + Json.where(where) + ",\"within-days\":" + withinDays + "}";
        }
    }

    /** {@code { done-regularly = E, periods = P, period-days = L, at-least-periods = K, where = "..." }}. */
    record DoneRegularly(String event, int periods, int periodDays, int atLeastPeriods, Optional<String> where,
                         Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"at-least-periods\":" + atLeastPeriods + ",\"done-regularly\":" + Json.string(event)
                    + ",\"period-days\":" + periodDays + ",\"periods\":" + periods + Json.where(where) + "}";
        }
    }

    /** {@code { sequence = [A, B, ...], within-days = N }}: A, then B at a later ts, then ..., all in the window. */
    record Sequence(List<String> steps, int withinDays, Source source) implements SegmentRule {
        public Sequence {
            steps = List.copyOf(steps);
        }

        @Override
        public String toJson() {
            return "{\"sequence\":" + Json.array(List.copyOf(steps)) + ",\"within-days\":" + withinDays + "}";
        }
    }

    /** {@code { first-done = E, within-days = N }}: the user's first occurrence ever of E falls in the window. */
    record FirstDone(String event, int withinDays, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"first-done\":" + Json.string(event) + ",\"within-days\":" + withinDays + "}";
        }
    }

    /** The {@code where} of a behaviour condition (Spark SQL over the event's columns), if it has one. */
    static Optional<String> eventWhere(SegmentRule rule) {
        if (rule instanceof Done done) {
            return done.where();
        }
        if (rule instanceof NotDone notDone) {
            return notDone.where();
        }
        if (rule instanceof StoppedDoing stopped) {
            return stopped.where();
        }
        if (rule instanceof DoneRegularly regularly) {
            return regularly.where();
        }
        return Optional.empty();
    }

    /** {@code { in-segment = ID }} or, negated, {@code { not-in-segment = ID }}. */
    record InSegment(String segmentId, boolean negated, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"" + (negated ? "not-in-segment" : "in-segment") + "\":" + Json.string(segmentId) + "}";
        }
    }

    /** Account segments: {@code { users-matching = <user rule>, at-least = K }}. */
    record UsersMatching(SegmentRule rule, int atLeast, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"at-least\":" + atLeast + ",\"users-matching\":" + rule.toJson() + "}";
        }
    }

    /** {@code { where = "<Spark SQL boolean expression>" }}. */
    record Where(String expression, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"where\":" + Json.string(expression) + "}";
        }
    }

    /** {@code all = [...]} (every one) or {@code any = [...]} (at least one). */
    record Combination(boolean all, List<SegmentRule> rules, Source source) implements SegmentRule {
        public Combination {
            rules = List.copyOf(rules);
        }

        @Override
        public String toJson() {
            return "{\"" + (all ? "all" : "any") + "\":["
                    + rules.stream().map(SegmentRule::toJson).collect(Collectors.joining(",")) + "]}";
        }
    }

    /** {@code not = {...}}. */
    record Not(SegmentRule rule, Source source) implements SegmentRule {
        @Override
        public String toJson() {
            return "{\"not\":" + rule.toJson() + "}";
        }
    }

    /** The few JSON pieces the canonical form needs. */
    final class Json {
        private Json() {
        }

        public static String value(Object value) {
            if (value instanceof Number number) {
                double d = number.doubleValue();
                return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf((long) d) : String.valueOf(d);
            }
            if (value instanceof Boolean) {
                return value.toString();
            }
            return string(String.valueOf(value));
        }

        /** One event as a string (the form every rule had before lists), several as an array. */
        static String events(List<String> events) {
            return events.size() == 1 ? string(events.get(0)) : array(List.copyOf(events));
        }

        static String where(Optional<String> where) {
            return where.map(w -> ",\"where\":" + string(w)).orElse("");
        }

        static String array(List<Object> values) {
            return "[" + values.stream().map(Json::value).collect(Collectors.joining(",")) + "]";
        }

        static String string(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
