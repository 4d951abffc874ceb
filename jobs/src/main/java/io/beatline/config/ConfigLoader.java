package io.beatline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.beatline.core.BeatlineException;
import io.beatline.core.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the HOCON configuration into a {@link BeatlineConfig}: the config file (from
 * {@code --config}, else {@code -Dconfig.file}, else {@code conf/application.conf} when present),
 * {@code --conf key=value} overrides on top, the built-in defaults ({@code reference.conf})
 * underneath, and environment variables for {@code ${?VAR}} substitutions (secrets). Every
 * problem is a {@link BeatlineException} of kind CONFIG whose message names file, line and key.
 */
public final class ConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("conf", "application.conf");

    /** Keys whose children are the user's own names (event names, Spark settings, ...). */
    private static final Set<String> FREE_FORM = Set.of("events.weights", "spark.conf", "crm.custom-fields", "metrics", "health", "segments");

    /** Keys never printed, hashed or logged. */
    private static final Set<String> SECRETS = Set.of("s3.access-key", "s3.secret-key");

    private ConfigLoader() {
    }

    /** The config file that {@link #load} reads when given none. */
    public static Optional<Path> defaultFile() {
        String property = System.getProperty("config.file");
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        return Files.isRegularFile(DEFAULT_FILE) ? Optional.of(DEFAULT_FILE) : Optional.empty();
    }

    public static BeatlineConfig load(Optional<Path> file, List<String> overrides) {
        Optional<Path> source = file.isPresent() ? file : defaultFile();
        Config fromFile = ConfigFactory.empty();
        if (source.isPresent()) {
            Path path = source.get();
            if (!Files.isRegularFile(path)) {
                throw BeatlineException.config("Configuration file " + path + " does not exist.");
            }
            try {
                fromFile = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw problem(e);
            }
        }
        Config fromOverrides = ConfigFactory.empty();
        for (String override : overrides) {
            fromOverrides = parseOverride(override).withFallback(fromOverrides);
        }
        Config user = fromOverrides.withFallback(fromFile);
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
        rejectUnknownKeys(user.root(), "", reference);
        try {
            Config full = user.withFallback(reference).resolve();
            String origin = source.map(Path::toString).orElse("built-in defaults");
            return read(full, origin);
        } catch (ConfigException e) {
            throw problem(e);
        }
    }

    private static Config parseOverride(String override) {
        int equals = override.indexOf('=');
        if (equals <= 0) {
            throw BeatlineException.config("--conf " + override + ": expected key=value, e.g. --conf time-zone=Europe/Paris");
        }
        try {
            return ConfigFactory.parseString(override,
                    ConfigParseOptions.defaults().setOriginDescription("--conf " + override));
        } catch (ConfigException e) {
            // a value that is not HOCON (raw=s3a://acme-raw/beatline: `//` starts a HOCON comment) is the text as given
            String key = override.substring(0, equals).trim();
            String value = override.substring(equals + 1).trim();
            try {
                return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--conf " + override));
            } catch (ConfigException notAKey) {
                throw problem(e);
            }
        }
    }

    private static BeatlineConfig read(Config c, String origin) {
        String raw = nonBlank(c, "raw");
        String lake = nonBlank(c, "lake");
        ZoneId timeZone;
        try {
            timeZone = ZoneId.of(c.getString("time-zone"));
        } catch (DateTimeException e) {
            throw at(c, "time-zone", "'" + c.getString("time-zone")
                    + "' is not a time zone; use an IANA name such as UTC or Europe/Paris");
        }

        double defaultWeight = c.getDouble("events.default-weight");
        Map<String, Double> weights = new LinkedHashMap<>();
        Config weightsConfig = c.getConfig("events.weights");
        for (String event : weightsConfig.root().keySet()) {
            String key = ConfigUtil.joinPath("events", "weights", event);
            ConfigValue value = c.getValue(key);
            if (value.valueType() != ConfigValueType.NUMBER) {
                throw at(c, key, "the weight of event '" + event + "' must be a number");
            }
            weights.put(event, ((Number) value.unwrapped()).doubleValue());
        }
        Set<String> excluded = new LinkedHashSet<>(c.getStringList("events.excluded"));

        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : EventFieldMapping.FIELDS) {
            fields.put(field, nonBlank(c, "input.events.fields." + field));
        }
        boolean requireLanded = c.getBoolean("input.require-landed");

        int beatsWindow = c.getInt("engagement.beats-window-days");
        if (beatsWindow < 1) {
            throw at(c, "engagement.beats-window-days", "must be at least 1");
        }
        int npsWindow = c.getInt("nps.window-days");
        if (npsWindow < 1) {
            throw at(c, "nps.window-days", "must be at least 1");
        }
        EngagementConfig engagement = new EngagementConfig(beatsWindow, c.getStringList("onboarding.events"));
        Map<String, Map<String, CustomFieldType>> customFields = customFields(c);
        List<MetricDefinition> metrics = metrics(c);
        Map<EntityType, List<HealthComponent>> health = health(c, metrics);
        List<SegmentDefinition> segments = new SegmentsConfigReader(excluded).read(c.getValue("segments"));

        S3Config s3 = new S3Config(
                optional(c, "s3.endpoint"),
                c.getBoolean("s3.path-style-access"),
                nonBlank(c, "s3.region"),
                c.getBoolean("s3.ssl-enabled"),
                optional(c, "s3.access-key"),
                optional(c, "s3.secret-key"));

        Map<String, String> sparkConf = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : c.getConfig("spark.conf").root().entrySet()) {
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
                throw at(c, ConfigUtil.joinPath("spark", "conf", entry.getKey()),
                        "Spark settings are single values; quote dotted names, e.g. \"spark.sql.shuffle.partitions\" = 8");
            }
            sparkConf.put(entry.getKey(), String.valueOf(value.unwrapped()));
        }
        SparkSettings spark = new SparkSettings(nonBlank(c, "spark.master"), sparkConf);
        CatalogConfig catalog = catalog(c, s3);

        return new BeatlineConfig(raw, lake, timeZone, new EventsConfig(defaultWeight, weights, excluded),
                new EventFieldMapping(fields), engagement, npsWindow, customFields, metrics, health, segments, requireLanded, s3, spark, catalog,
                checks(c), maintenance(c), origin,
                Map.of("raw", where(c.getValue("raw").origin()), "lake", where(c.getValue("lake").origin())), hash(c));
    }

    /** {@code checks}: the data-quality checks after each run (docs/operations.md). */
    private static ChecksConfig checks(Config c) {
        ChecksConfig.Mode mode = oneOf(c, "checks.mode", ChecksConfig.Mode.class);
        double maxChange = c.getDouble("checks.max-change-pct");
        if (!(maxChange > 0)) {
            throw at(c, "checks.max-change-pct", "must be a percentage above 0, e.g. 50");
        }
        int baselineDays = c.getInt("checks.baseline-days");
        if (baselineDays < 1) {
            throw at(c, "checks.baseline-days", "must be at least 1 (1: the previous date; 7: the same weekday a week before)");
        }
        long minBase = c.getLong("checks.min-base");
        if (minBase < 0) {
            throw at(c, "checks.min-base", "must be 0 or more");
        }
        return new ChecksConfig(mode, maxChange, baselineDays, minBase);
    }

    /** {@code maintenance}: what {@code beatline maintain} keeps (docs/operations.md). */
    private static MaintenanceConfig maintenance(Config c) {
        int retainHours = c.getInt("maintenance.retain-hours");
        if (retainHours < 0) {
            throw at(c, "maintenance.retain-hours", "must be 0 or more hours (default 168)");
        }
        return new MaintenanceConfig(retainHours);
    }

    /** {@code catalog}: the SQL database and the Trino endpoint (docs/bi.md). */
    private static CatalogConfig catalog(Config c, S3Config s3) {
        String database = nonBlank(c, "catalog.database");
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw at(c, "catalog.database", "'" + database + "' is not a plain SQL name; use lower-case letters, digits and _");
        }
        Optional<String> url = optional(c, "catalog.trino.url");
        if (url.isPresent() && !url.get().startsWith("jdbc:trino://")) {
            throw at(c, "catalog.trino.url", "'" + url.get() + "' is not a Trino JDBC URL; use jdbc:trino://host:port");
        }
        CatalogConfig.Metastore metastore = oneOf(c, "catalog.trino.metastore", CatalogConfig.Metastore.class);
        Optional<String> metastoreUri = optional(c, "catalog.trino.metastore-uri");
        if (metastore == CatalogConfig.Metastore.THRIFT && metastoreUri.isEmpty()) {
            throw at(c, "catalog.trino.metastore-uri", "metastore = thrift needs the metastore's URI, e.g. thrift://metastore:9083");
        }
        String glueRegion = optional(c, "catalog.trino.glue-region").orElse(s3.region());
        return new CatalogConfig(database, url, nonBlank(c, "catalog.trino.catalog"), nonBlank(c, "catalog.trino.user"),
                metastore, metastoreUri, glueRegion);
    }

    /** {@code crm.custom-fields { <entity> { <column> = <type> } }}. */
    private static Map<String, Map<String, CustomFieldType>> customFields(Config c) {
        Map<String, Map<String, CustomFieldType>> byEntity = new LinkedHashMap<>();
        ConfigObject entities = c.getObject("crm.custom-fields");
        for (String entity : entities.keySet()) {
            String entityKey = ConfigUtil.joinPath("crm", "custom-fields", entity);
            if (!CRM_ENTITIES.contains(entity)) {
                throw at(c, entityKey, "unknown CRM entity '" + entity + "'; entities are " + String.join(", ", CRM_ENTITIES));
            }
            if (c.getValue(entityKey).valueType() != ConfigValueType.OBJECT) {
                throw at(c, entityKey, "expected { <column> = <type> }, e.g. { employees = long }");
            }
            Map<String, CustomFieldType> columns = new LinkedHashMap<>();
            for (String column : c.getObject(entityKey).keySet()) {
                String key = ConfigUtil.joinPath("crm", "custom-fields", entity, column);
                String type = c.getString(key);
                try {
                    columns.put(column, CustomFieldType.valueOf(type.trim().toUpperCase(java.util.Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw at(c, key, "unknown type '" + type + "'; types are " + CustomFieldType.names());
                }
            }
            byEntity.put(entity, Map.copyOf(columns));
        }
        return Map.copyOf(byEntity);
    }

    private static final Set<String> METRIC_KEYS = Set.of("entity", "aggregates", "value", "description");
    private static final Set<String> AGGREGATE_KEYS = Set.of("source", "op", "days", "offset-days", "where");
    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*");

    /** {@code metrics { <name> { entity, aggregates { <name> { source, op, days, offset-days } }, value } }}. */
    private static List<MetricDefinition> metrics(Config c) {
        List<MetricDefinition> metrics = new java.util.ArrayList<>();
        ConfigObject all = c.getObject("metrics");
        for (String name : new java.util.TreeSet<>(all.keySet())) {
            String key = ConfigUtil.joinPath("metrics", name);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw at(c, key, "a metric name is lower-case letters, digits and _ (it becomes metric_values.metric)");
            }
            if (name.equals("health")) {
                throw at(c, key, "'health' is reserved for health scores (config `health`); pick another name");
            }
            if (c.getValue(key).valueType() != ConfigValueType.OBJECT) {
                throw at(c, key, "expected { entity = ..., aggregates { ... }, value = \"...\" }");
            }
            Config metric = c.getConfig(key);
            onlyKeys(c, key, metric, METRIC_KEYS);
            EntityType entity = oneOf(c, key + ".entity", EntityType.class);
            List<MetricDefinition.Aggregate> aggregates = new java.util.ArrayList<>();
            if (metric.hasPath("aggregates")) {
                for (String aggregateName : new java.util.TreeSet<>(metric.getObject("aggregates").keySet())) {
                    aggregates.add(aggregate(c, key + ".aggregates." + aggregateName, aggregateName, entity));
                }
            }
            String value = nonBlank(c, key + ".value");
            try {
                org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseExpression(value);
            } catch (Exception e) { // ParseException is checked, thrown undeclared
                throw at(c, key + ".value", "not a Spark SQL expression: " + e.getMessage().lines().findFirst().orElse(""));
            }
            ConfigOrigin origin = c.getValue(key).origin();
            String definition = c.getValue(key).render(ConfigRenderOptions.concise().setJson(true));
            metrics.add(new MetricDefinition(name, entity, aggregates, value,
                    (origin.filename() != null ? origin.filename() : origin.description()) + ", line " + origin.lineNumber(),
                    definition));
        }
        return List.copyOf(metrics);
    }

    private static final Set<String> COMPONENT_KEYS = Set.of("source", "weight", "good", "bad");

    /** {@code health { account | user { components { <name> { source, weight, good, bad } } } }}. */
    private static Map<EntityType, List<HealthComponent>> health(Config c, List<MetricDefinition> metrics) {
        Map<EntityType, List<HealthComponent>> byEntity = new java.util.EnumMap<>(EntityType.class);
        for (String entityName : c.getObject("health").keySet()) {
            String key = ConfigUtil.joinPath("health", entityName);
            EntityType entity = java.util.Arrays.stream(EntityType.values())
                    .filter(e -> e.configName().equals(entityName)).findFirst()
                    .orElseThrow(() -> at(c, key, "health is for 'account' or 'user', not '" + entityName + "'"));
            onlyKeys(c, key, c.getConfig(key), Set.of("components"));
            List<HealthComponent> components = new java.util.ArrayList<>();
            for (String name : new java.util.TreeSet<>(c.getObject(key + ".components").keySet())) {
                String componentKey = key + ".components." + ConfigUtil.joinPath(name);
                if (!IDENTIFIER.matcher(name).matches()) {
                    throw at(c, componentKey, "a component name is lower-case letters, digits and _ (it becomes health.<name>)");
                }
                onlyKeys(c, componentKey, c.getConfig(componentKey), COMPONENT_KEYS);
                String source = nonBlank(c, componentKey + ".source");
                String metricName = source.startsWith("metric.") ? source.substring("metric.".length()) : source;
                boolean isMetric = metrics.stream().anyMatch(m -> m.name().equals(metricName) && m.entity() == entity);
                if (source.startsWith("metric.") && !isMetric) {
                    throw at(c, componentKey + ".source", "no " + entity.configName() + " metric '" + metricName
                            + "' in `metrics`");
                }
                double weight = c.getDouble(componentKey + ".weight");
                if (weight <= 0) {
                    throw at(c, componentKey + ".weight", "must be more than 0");
                }
                double good = c.getDouble(componentKey + ".good");
                double bad = c.getDouble(componentKey + ".bad");
                if (good == bad) {
                    throw at(c, componentKey + ".good", "good and bad must differ (good may be below bad)");
                }
                components.add(new HealthComponent(name, isMetric ? metricName : source, isMetric, weight, good, bad));
            }
            if (!components.isEmpty()) {
                byEntity.put(entity, List.copyOf(components));
            }
        }
        return Map.copyOf(byEntity);
    }

    private static MetricDefinition.Aggregate aggregate(Config c, String key, String name, EntityType entity) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw at(c, key, "an aggregate name is lower-case letters, digits and _ (value refers to it by name)");
        }
        onlyKeys(c, key, c.getConfig(key), AGGREGATE_KEYS);
        MetricDefinition.Op op = oneOf(c, key + ".op", MetricDefinition.Op.class);
        List<String> sources = c.getValue(key + ".source").valueType() == ConfigValueType.LIST
                ? c.getStringList(key + ".source") : List.of(c.getString(key + ".source"));
        List<String> events = new java.util.ArrayList<>();
        boolean allEvents = false;
        Optional<String> custom = Optional.empty();
        for (String source : sources) {
            if (source.equals("event:*")) {
                allEvents = true;
            } else if (source.startsWith("event:") && source.length() > "event:".length()) {
                events.add(source.substring("event:".length()));
            } else if (source.startsWith("custom:") && source.length() > "custom:".length() && sources.size() == 1) {
                custom = Optional.of(source.substring("custom:".length()));
            } else {
                throw at(c, key + ".source", "'" + source + "' is not a source: use \"event:<name>\", a list of those,"
                        + " \"event:*\" (all counted events) or one \"custom:<metric>\"");
            }
        }
        if (op == MetricDefinition.Op.USERS && (entity != EntityType.ACCOUNT || custom.isPresent())) {
            throw at(c, key + ".op", "users counts distinct users of an account's events: only for entity = account and event sources");
        }
        Optional<Integer> days = c.hasPath(key + ".days") ? Optional.of(c.getInt(key + ".days")) : Optional.empty();
        if (days.isPresent() && days.get() < 1) {
            throw at(c, key + ".days", "must be at least 1 (leave it out for all time)");
        }
        if (op == MetricDefinition.Op.AVG_DAILY && days.isEmpty()) {
            throw at(c, key + ".op", "avg_daily is sum / days: it needs days");
        }
        int offset = c.hasPath(key + ".offset-days") ? c.getInt(key + ".offset-days") : 0;
        if (offset < 0) {
            throw at(c, key + ".offset-days", "must be 0 or more");
        }
        Optional<String> where = Optional.empty();
        if (c.hasPath(key + ".where")) {
            if (custom.isPresent()) {
                throw at(c, key + ".where", "where filters events: only for event sources");
            }
            String expression = nonBlank(c, key + ".where");
            try {
                org.apache.spark.sql.catalyst.parser.CatalystSqlParser$.MODULE$.parseExpression(expression);
            } catch (Exception e) { // ParseException is checked, thrown undeclared
                throw at(c, key + ".where", "not a Spark SQL expression: " + e.getMessage().lines().findFirst().orElse(""));
            }
            where = Optional.of(expression);
        }
        return new MetricDefinition.Aggregate(name, events, allEvents, custom, op, days, offset, where);
    }

    private static void onlyKeys(Config c, String key, Config object, Set<String> allowed) {
        for (String child : object.root().keySet()) {
            if (!allowed.contains(child)) {
                throw at(c, key + "." + ConfigUtil.joinPath(child), "unknown key '" + child + "'; keys here are "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            }
        }
    }

    private static <E extends Enum<E>> E oneOf(Config c, String key, Class<E> type) {
        String text = c.getString(key);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        throw at(c, key, "'" + text + "' is not one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.joining(", ")));
    }

    /**
     * The CRM entities of SPEC 2.2, the only names crm.custom-fields accepts: crm/CrmEntity's,
     * named here so that config/ does not depend on crm/ (ConfigLoaderTest checks they agree).
     */
    public static final List<String> CRM_ENTITIES = List.of(
            "companies", "end_users", "licenses", "nps_responses", "conversations", "invoices", "custom_metrics");

    /** Every key the user set must exist in reference.conf, except below the free-form keys. */
    private static void rejectUnknownKeys(ConfigObject object, String prefix, Config reference) {
        for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
            String path = prefix.isEmpty() ? ConfigUtil.joinPath(entry.getKey()) : prefix + "." + ConfigUtil.joinPath(entry.getKey());
            if (FREE_FORM.contains(path)) {
                continue;
            }
            if (!reference.hasPathOrNull(path)) {
                throw new BeatlineException(BeatlineException.Kind.CONFIG, where(entry.getValue().origin())
                        + "unknown key '" + path + "'." + suggestion(path, reference));
            }
            if (entry.getValue() instanceof ConfigObject child
                    && reference.getValue(path).valueType() == ConfigValueType.OBJECT) {
                rejectUnknownKeys(child, path, reference);
            }
        }
    }

    private static String suggestion(String path, Config reference) {
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        Set<String> siblings = dot < 0 ? reference.root().keySet()
                : reference.hasPath(parent) && reference.getValue(parent).valueType() == ConfigValueType.OBJECT
                        ? reference.getConfig(parent).root().keySet() : Set.of();
        if (siblings.isEmpty()) {
            return " See conf/application.conf for every key.";
        }
        return " Known keys here: " + String.join(", ", new java.util.TreeSet<>(siblings))
                + ". See conf/application.conf for every key.";
    }

    private static String nonBlank(Config c, String key) {
        String value = c.getString(key);
        if (value.isBlank()) {
            throw at(c, key, "must not be empty");
        }
        return value;
    }

    private static Optional<String> optional(Config c, String key) {
        if (!c.hasPath(key)) {
            return Optional.empty();
        }
        String value = c.getString(key);
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A problem with the value at {@code key}, located at the line that set it. */
    public static BeatlineException at(Config c, String key, String problem) {
        ConfigOrigin origin = c.hasPathOrNull(key) ? c.getValue(key).origin() : c.origin();
        return new BeatlineException(BeatlineException.Kind.CONFIG, where(origin) + "key '" + key + "': " + problem);
    }

    static BeatlineException problem(ConfigException e) {
        ConfigOrigin origin = e.origin();
        String message = e.getMessage();
        // typesafe's messages start with the origin ("file: 12: ..."); say it our way once
        if (origin != null && message.startsWith(origin.description())) {
            message = message.substring(origin.description().length()).replaceFirst("^:\\s*", "");
        }
        return new BeatlineException(BeatlineException.Kind.CONFIG, where(origin) + message, e);
    }

    private static String where(ConfigOrigin origin) {
        if (origin == null) {
            return "Configuration error: ";
        }
        String file = origin.filename() != null ? origin.filename()
                : origin.resource() != null ? origin.resource() : origin.description();
        int line = origin.lineNumber();
        return "Configuration error in " + file + (line > 0 ? ", line " + line : "") + ": ";
    }

    private static String hash(Config c) {
        Config withoutSecrets = c;
        for (String secret : SECRETS) {
            withoutSecrets = withoutSecrets.withoutPath(secret);
        }
        // where the tables are served changes none of their rows, so it is no reason to recompute them
        withoutSecrets = withoutSecrets.withoutPath("catalog");
        // nor are how the tables are checked and maintained
        withoutSecrets = withoutSecrets.withoutPath("checks").withoutPath("maintenance");
        return Hashes.shortSha256(withoutSecrets.root().render(ConfigRenderOptions.concise()));
    }
}
