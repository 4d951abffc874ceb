package io.beatline.config;

import java.util.Optional;

/**
 * Config {@code s3}: how s3a:// paths are reached. Credentials come from the environment (see
 * conf/application.conf) and are never printed: {@link #toString()} masks them.
 */
public record S3Config(
        Optional<String> endpoint,
        boolean pathStyleAccess,
        String region,
        boolean sslEnabled,
        Optional<String> accessKey,
        Optional<String> secretKey) {

    @Override
    public String toString() {
        return "S3Config[endpoint=" + endpoint.orElse("(aws)") + ", pathStyleAccess=" + pathStyleAccess
                + ", region=" + region + ", sslEnabled=" + sslEnabled
                + ", accessKey=" + (accessKey.isPresent() ? "****" : "(none)")
                + ", secretKey=" + (secretKey.isPresent() ? "****" : "(none)") + "]";
    }
}
