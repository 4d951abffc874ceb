package io.beatline.core;

import io.beatline.config.S3Config;
import org.apache.hadoop.conf.Configuration;

/** How s3a:// is reached, as Hadoop settings: shared by Spark jobs and by plain file writers. */
public final class S3Settings {

    private S3Settings() {
    }

    public static void apply(S3Config s3, Configuration hadoop) {
        s3.endpoint().ifPresent(endpoint -> hadoop.set("fs.s3a.endpoint", endpoint));
        hadoop.setBoolean("fs.s3a.path.style.access", s3.pathStyleAccess());
        hadoop.set("fs.s3a.endpoint.region", s3.region());
        hadoop.setBoolean("fs.s3a.connection.ssl.enabled", s3.sslEnabled());
        if (s3.accessKey().isPresent() && s3.secretKey().isPresent()) {
            hadoop.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
            hadoop.set("fs.s3a.access.key", s3.accessKey().get());
            hadoop.set("fs.s3a.secret.key", s3.secretKey().get());
        }
    }
}
