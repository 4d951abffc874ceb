package io.beatline.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.beatline.config.SegmentRule.Source;
import io.beatline.core.BeatlineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads config {@code segments = [ { id, name, description, entity, rule } ]} into
 * {@link SegmentDefinition}s and checks what needs no knowledge of the tables: the shape of every
 * condition, numbers in range, regexes and {@code where} expressions that parse, segment ids
 * unique, references to segments that exist with the same entity, and no cycle between them.
 * Fields and their types are checked against the profiles by {@code io.beatline.segments.ProfileFields}.
 */
final class SegmentsConfigReader {

    static final Pattern SEGMENT_ID = Pattern.compile("[a-z][a-z0-9_-]*");

    private static final Set<String> SEGMENT_KEYS = Set.of("id", "name", "description", "entity", "rule");

    /** The key that says what a condition is, and the other keys it may have. */
    private static final Map<String, Set<String>> CONDITIONS = new LinkedHashMap<>();

    static {
        CONDITIONS.put("field", Set.of("op", "value"));
        CONDITIONS.put("done", Set.of("within-days", "at-least", "at-most", "where"));
        CONDITIONS.put("not-done", Set.of("within-days", "where"));
        CONDITIONS.put("stopped-doing", Set.of("within-days", "where"));
        CONDITIONS.put("done-regularly", Set.of("periods", "period-days", "at-least-periods", "where"));
        CONDITIONS.put("sequence", Set.of("within-days"));
        CONDITIONS.put("first-done", Set.of("within-days"));
        CONDITIONS.put("in-segment", Set.of());
        CONDITIONS.put("not-in-segment", Set.of());
        CONDITIONS.put("users-matching", Set.of("at-least"));
        CONDITIONS.put("where", Set.of());
        CONDITIONS.put("all", Set.of());
        CONDITIONS.put("any", Set.of());
        CONDITIONS.put("not", Set.of());
    }

    private final Set<String> excludedEvents;

    SegmentsConfigReader(Set<String> excludedEvents) {
        this.excludedEvents = excludedEvents;
    }

    List<SegmentDefinition> read(ConfigValue segments) {
        if (segments.valueType() != ConfigValueType.LIST) {
            throw new BeatlineException(BeatlineException.Kind.CONFIG, "Configuration error in " + location(segments.origin())
                    + ": key 'segments': expected a list, segments = [ { id = ..., entity = user, rule { ... } }, ... ]");
        }
        List<SegmentDefinition> definitions = new ArrayList<>();
        Map<String, SegmentDefinition> byId = new LinkedHashMap<>();
        ConfigList list = (ConfigList) segments;
        for (int i = 0; i < list.size(); i++) {
            SegmentDefinition definition = segment(list.get(i), i);
            SegmentDefinition earlier = byId.put(definition.id(), definition);
            if (earlier != null) {
                throw new BeatlineException(BeatlineException.Kind.CONFIG, "Configuration error in " + definition.location()
                        + ": segment '" + definition.id() + "', key 'id': the id is already used by the segment at "
                        + earlier.location() + "; ids must be unique");
            }
            definitions.add(definition);
        }
        for (SegmentDefinition definition : definitions) {
            checkReferences(definition.rule(), definition.entity(), byId);
        }
        checkNoCycle(definitions, byId);
        return List.copyOf(definitions);
    }

    private SegmentDefinition segment(ConfigValue value, int index) {
        String where = location(value.origin());
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw error(where, "segments[" + index + "]", "expected { id = ..., entity = user | account, rule { ... } }");
        }
        ConfigObject object = (ConfigObject) value;
        String id = string(object, "id", where, "segments[" + index + "]", null);
        if (!SEGMENT_ID.matcher(id).matches()) {
            throw error(location(object.get("id").origin()), "segments[" + index + "].id",
                    "'" + id + "' is not a segment id: lower-case letters, digits, _ and -, starting with a letter");
        }
        Source source = new Source(id, "rule", where);
        for (String key : object.keySet()) {
            if (!SEGMENT_KEYS.contains(key)) {
                throw source.child(key, location(object.get(key).origin())).problem(
                        "unknown key; a segment has " + String.join(", ", new TreeSet<>(SEGMENT_KEYS)));
            }
        }
        String name = object.containsKey("name") ? string(object, "name", where, null, source) : id;
        String description = object.containsKey("description") ? string(object, "description", where, null, source) : "";
        if (!object.containsKey("entity")) {
            throw new Source(id, "entity", where).problem("missing; say entity = user or entity = account");
        }
        String entityName = string(object, "entity", where, null, source);
        EntityType entity = java.util.Arrays.stream(EntityType.values()).filter(e -> e.configName().equals(entityName.trim()))
                .findFirst().orElseThrow(() -> new Source(id, "entity", location(object.get("entity").origin()))
                        .problem("'" + entityName + "' is not an entity; use user or account"));
        if (!object.containsKey("rule")) {
            throw source.problem("missing; every segment needs a rule, e.g. rule { done = login, within-days = 30 }");
        }
        SegmentRule rule = rule(object.get("rule"), source.withLocation(location(object.get("rule").origin())), entity, false);
        return new SegmentDefinition(id, name, description, entity, rule, where);
    }

    private SegmentRule rule(ConfigValue value, Source source, EntityType entity, boolean insideUsersMatching) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            throw source.problem("a condition is an object, e.g. { field = beats, op = \">=\", value = 10 }");
        }
        ConfigObject object = (ConfigObject) value;
        List<String> kinds = new ArrayList<>(object.keySet().stream().filter(CONDITIONS::containsKey).toList());
        if (kinds.size() > 1) {
            kinds.remove("where"); // beside another condition, where is that condition's (behaviour conditions take one)
        }
        if (kinds.size() != 1) {
            throw source.problem((kinds.isEmpty() ? "not a condition" : "one condition per object, found " + kinds)
                    + "; a condition has exactly one of " + String.join(", ", CONDITIONS.keySet()));
        }
        String kind = kinds.get(0);
        for (String key : object.keySet()) {
            if (!key.equals(kind) && !CONDITIONS.get(kind).contains(key)) {
                throw source.child(key, location(object.get(key).origin())).problem("unknown key for a '" + kind
                        + "' condition" + (CONDITIONS.get(kind).isEmpty() ? ", which takes no other key"
                        : "; its keys are " + kind + ", " + String.join(", ", new TreeSet<>(CONDITIONS.get(kind)))));
            }
        }
        ConfigValue main = object.get(kind);
        Source at = source.child(kind, location(main.origin()));
        return switch (kind) {
            case "field" -> field(object, source);
            case "done" -> new SegmentRule.Done(events(main, at), optionalInt(object, "within-days", source, 1),
                    optionalInt(object, "at-least", source, 0).orElse(1), atMost(object, source), eventWhere(object, source), source);
            case "not-done" -> new SegmentRule.NotDone(events(main, at), optionalInt(object, "within-days", source, 1),
                    eventWhere(object, source), source);
            case "stopped-doing" -> new SegmentRule.StoppedDoing(event(main, at), optionalInt(object, "within-days", source, 1)
                    .orElseThrow(() -> source.problem("stopped-doing needs within-days (the length of each window)")),
                    eventWhere(object, source), source);
            case "done-regularly" -> doneRegularly(object, event(main, at), source);
            case "sequence" -> {
                List<String> steps = events(main, at);
                if (steps.size() < 2) {
                    throw at.problem("a sequence has at least two steps, sequence = [create_project, invite_user]");
                }
                yield new SegmentRule.Sequence(steps, optionalInt(object, "within-days", source, 1).orElseThrow(() -> source.problem(
                        "sequence needs within-days (every step falls in the last N days)")), source);
            }
            case "first-done" -> new SegmentRule.FirstDone(event(main, at), optionalInt(object, "within-days", source, 1)
                    .orElseThrow(() -> source.problem("first-done needs within-days (the first occurrence ever falls in the last N days)")),
                    source);
            case "in-segment", "not-in-segment" -> new SegmentRule.InSegment(text(main, at), kind.startsWith("not"), at);
            case "users-matching" -> {
                if (entity != EntityType.ACCOUNT || insideUsersMatching) {
                    throw at.problem("users-matching is for account segments: it counts the account's users that match a user rule");
                }
                SegmentRule users = rule(main, at, EntityType.USER, true);
                yield new SegmentRule.UsersMatching(users, optionalInt(object, "at-least", source, 1).orElse(1), source);
            }
            case "where" -> where(text(main, at), at, source);
            case "all", "any" -> {
                if (main.valueType() != ConfigValueType.LIST || ((ConfigList) main).isEmpty()) {
                    throw at.problem(kind + " takes a non-empty list of conditions, " + kind + " = [ {...}, {...} ]");
                }
                List<SegmentRule> rules = new ArrayList<>();
                ConfigList list = (ConfigList) main;
                for (int i = 0; i < list.size(); i++) {
                    rules.add(rule(list.get(i), new Source(source.segment(), source.key() + "." + kind + "[" + i + "]",
                            location(list.get(i).origin())), entity, insideUsersMatching));
                }
                yield new SegmentRule.Combination(kind.equals("all"), rules, source);
            }
            case "not" -> new SegmentRule.Not(rule(main, at, entity, insideUsersMatching), source);
            default -> throw new IllegalStateException(kind);
        };
    }

    private SegmentRule field(ConfigObject object, Source source) {
        Source fieldAt = source.child("field", location(object.get("field").origin()));
        String field = text(object.get("field"), fieldAt);
        if (!object.containsKey("op")) {
            throw source.problem("a field condition needs op, one of " + SegmentRule.FieldOp.names());
        }
        Source opAt = source.child("op", location(object.get("op").origin()));
        String opName = text(object.get("op"), opAt);
        SegmentRule.FieldOp op = SegmentRule.FieldOp.named(opName).orElseThrow(() -> opAt.problem(
                "'" + opName + "' is not an operator; operators are " + SegmentRule.FieldOp.names()
                        + " (quote them in HOCON: op = \">=\")"));
        ConfigValue value = object.get("value");
        Source valueAt = value == null ? source.child("value", source.location()) : source.child("value", location(value.origin()));
        List<Object> values = new ArrayList<>();
        switch (op.arity) {
            case NONE -> {
                if (value != null) {
                    throw valueAt.problem(op.configName + " takes no value");
                }
            }
            case ONE -> {
                if (value == null || value.valueType() == ConfigValueType.LIST || value.valueType() == ConfigValueType.OBJECT
                        || value.valueType() == ConfigValueType.NULL) {
                    throw valueAt.problem(op.configName + " takes one value, e.g. value = 10");
                }
                values.add(value.unwrapped());
            }
            case TWO, LIST -> {
                if (value == null || value.valueType() != ConfigValueType.LIST
                        || (op.arity == SegmentRule.FieldOp.Arity.TWO && ((ConfigList) value).size() != 2)
                        || ((ConfigList) value).isEmpty()) {
                    throw valueAt.problem(op.arity == SegmentRule.FieldOp.Arity.TWO
                            ? "between takes two values, value = [low, high] (both included)"
                            : op.configName + " takes a list, value = [\"a\", \"b\"]");
                }
                for (ConfigValue item : (ConfigList) value) {
                    if (item.valueType() == ConfigValueType.LIST || item.valueType() == ConfigValueType.OBJECT
                            || item.valueType() == ConfigValueType.NULL) {
                        throw valueAt.problem("the values of " + op.configName + " are numbers, strings or booleans");
                    }
                    values.add(item.unwrapped());
                }
            }
        }
        if (op == SegmentRule.FieldOp.MATCHES) {
            try {
                Pattern.compile(String.valueOf(values.get(0)));
            } catch (PatternSyntaxException e) {
                throw valueAt.problem("not a regular expression: " + e.getDescription());
            }
        }
        return new SegmentRule.FieldCondition(field, op, values, source);
    }

    private SegmentRule doneRegularly(ConfigObject object, String event, Source source) {
        int periods = optionalInt(object, "periods", source, 1)
                .orElseThrow(() -> source.problem("done-regularly needs periods (how many periods to look back)"));
        int periodDays = optionalInt(object, "period-days", source, 1)
                .orElseThrow(() -> source.problem("done-regularly needs period-days (the length of one period)"));
        int atLeast = optionalInt(object, "at-least-periods", source, 1).orElse(periods);
        if (atLeast > periods) {
            throw source.child("at-least-periods", location(object.get("at-least-periods").origin()))
                    .problem("is more than periods (" + periods + ")");
        }
        return new SegmentRule.DoneRegularly(event, periods, periodDays, atLeast, eventWhere(object, source), source);
    }

    private Optional<Integer> atMost(ConfigObject object, Source source) {
        Optional<Integer> atMost = optionalInt(object, "at-most", source, 0);
        int atLeast = optionalInt(object, "at-least", source, 0).orElse(1);
        if (atMost.isPresent() && atMost.get() < atLeast) {
            throw source.child("at-most", location(object.get("at-most").origin())).problem("is below at-least (" + atLeast
                    + (object.containsKey("at-least") ? "" : ", the default; set at-least = 0 for 'at most M times, or never'")
                    + ")");
        }
        return atMost;
    }

    private String event(ConfigValue value, Source at) {
        String event = text(value, at);
        if (excludedEvents.contains(event)) {
            throw at.problem("'" + event + "' is in events.excluded, so it is never counted; segments count counted events only");
        }
        return event;
    }

    /** One event, or a non-empty list of them ({@code done = [a, b]}: any of those). */
    private List<String> events(ConfigValue value, Source at) {
        if (value.valueType() != ConfigValueType.LIST) {
            return List.of(event(value, at));
        }
        ConfigList list = (ConfigList) value;
        if (list.isEmpty()) {
            throw at.problem("expected an event or a non-empty list of events, e.g. [export_report, share_report]");
        }
        List<String> events = new ArrayList<>();
        for (ConfigValue item : list) {
            events.add(event(item, at));
        }
        return List.copyOf(events);
    }

    /** A behaviour condition's {@code where}: it must parse; it is resolved against silver events later. */
    private static Optional<String> eventWhere(ConfigObject object, Source source) {
        ConfigValue value = object.get("where");
        if (value == null) {
            return Optional.empty();
        }
        Source at = source.child("where", location(value.origin()));
        return Optional.of(((SegmentRule.Where) where(text(value, at), at, source)).expression());
    }

    private static SegmentRule where(String expression, Source at, Source source) {
        try {
            org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseExpression(expression);
        } catch (Exception e) { // ParseException is checked, thrown undeclared
            throw at.problem("not a Spark SQL expression: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return new SegmentRule.Where(expression, source);
    }

    private static Optional<Integer> optionalInt(ConfigObject object, String key, Source source, int minimum) {
        ConfigValue value = object.get(key);
        if (value == null) {
            return Optional.empty();
        }
        Source at = source.child(key, location(value.origin()));
        if (value.valueType() != ConfigValueType.NUMBER || ((Number) value.unwrapped()).doubleValue() % 1 != 0) {
            throw at.problem("must be a whole number");
        }
        int number = ((Number) value.unwrapped()).intValue();
        if (number < minimum) {
            throw at.problem("must be at least " + minimum);
        }
        return Optional.of(number);
    }

    private static String text(ConfigValue value, Source at) {
        if (value.valueType() != ConfigValueType.STRING || ((String) value.unwrapped()).isBlank()) {
            throw at.problem("expected a non-empty string");
        }
        return ((String) value.unwrapped()).trim();
    }

    private static String string(ConfigObject object, String key, String where, String indexKey, Source source) {
        ConfigValue value = object.get(key);
        if (value == null || value.valueType() != ConfigValueType.STRING) {
            String problem = value == null ? "missing" : "expected a string";
            if (source != null) {
                throw new Source(source.segment(), key, value == null ? where : location(value.origin())).problem(problem);
            }
            throw error(value == null ? where : location(value.origin()), indexKey + "." + key, problem);
        }
        return (String) value.unwrapped();
    }

    private static void checkReferences(SegmentRule rule, EntityType entity, Map<String, SegmentDefinition> byId) {
        if (rule instanceof SegmentRule.InSegment in) {
            SegmentDefinition target = byId.get(in.segmentId());
            if (target == null) {
                throw in.source().problem("no segment '" + in.segmentId() + "'; segments are "
                        + String.join(", ", new TreeSet<>(byId.keySet())));
            }
            if (target.entity() != entity) {
                throw in.source().problem("segment '" + in.segmentId() + "' is a " + target.entity().configName()
                        + " segment; in-segment refers to segments of the same entity (" + entity.configName() + ")");
            }
        }
        for (SegmentRule child : SegmentRule.children(rule)) {
            checkReferences(child, rule instanceof SegmentRule.UsersMatching ? EntityType.USER : entity, byId);
        }
    }

    /** Depth-first over in-segment references; a reference back into the current path is a cycle. */
    private static void checkNoCycle(List<SegmentDefinition> definitions, Map<String, SegmentDefinition> byId) {
        Set<String> done = new java.util.HashSet<>();
        for (SegmentDefinition definition : definitions) {
            visit(definition, byId, new ArrayList<>(), done);
        }
    }

    private static void visit(SegmentDefinition definition, Map<String, SegmentDefinition> byId, List<String> path,
                              Set<String> done) {
        if (done.contains(definition.id())) {
            return;
        }
        path.add(definition.id());
        for (SegmentRule.InSegment reference : SegmentRule.references(definition.rule())) {
            int at = path.indexOf(reference.segmentId());
            if (at >= 0) {
                List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
                cycle.add(reference.segmentId());
                throw reference.source().problem("segments refer to each other in a cycle: "
                        + String.join(" -> ", cycle) + "; break it by removing one of the references");
            }
            visit(byId.get(reference.segmentId()), byId, path, done);
        }
        path.remove(path.size() - 1);
        done.add(definition.id());
    }

    private static BeatlineException error(String where, String key, String problem) {
        return new BeatlineException(BeatlineException.Kind.CONFIG, "Configuration error in " + where + ": key '" + key + "': " + problem);
    }

    static String location(ConfigOrigin origin) {
        if (origin == null) {
            return "the configuration";
        }
        String file = origin.filename() != null ? origin.filename()
                : origin.resource() != null ? origin.resource() : origin.description();
        return file + (origin.lineNumber() > 0 ? ", line " + origin.lineNumber() : "");
    }
}
