package io.beatline.cli;

import io.beatline.config.BeatlineConfig;
import io.beatline.config.EntityType;
import io.beatline.core.SparkSessions;
import io.beatline.pipeline.ConfigCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code beatline validate-config}: loads and checks the configuration, then resolves its
 * expressions (metric values, health sources, segment where) in a local Spark session against
 * empty frames of the tables' schemas: every check a run makes before its first stage, and no
 * table read or written.
 */
@Command(name = "validate-config", mixinStandardHelpOptions = true,
        description = "Check a configuration (metrics, health and segments included) without running any job; starts a local"
                + " Spark only to resolve its expressions, reads no table (exit 2 and the file, line and key on error).")
final class ValidateConfigCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        BeatlineConfig config = configOptions.load();
        ConfigCheck.check(SparkSessions.forChecks(config), config);
        System.out.println("Configuration OK (" + config.origin() + ", hash " + config.hash() + ")");
        System.out.println("  raw       " + config.raw());
        System.out.println("  lake      " + config.lake());
        System.out.println("  time-zone " + config.timeZone());
        System.out.println("  metrics   " + config.metrics().size());
        long userSegments = config.segments().stream().filter(s -> s.entity() == EntityType.USER).count();
        System.out.println("  segments  " + config.segments().size() + " (" + userSegments + " user, "
                + (config.segments().size() - userSegments) + " account)");
        return 0;
    }
}
