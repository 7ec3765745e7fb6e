package org.abctolls.analytics;

import java.util.Properties;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** The job's {@code aws.*} properties for whatever AWS the tests run against. */
final class KitConnection {

    private KitConnection() {}

    static Properties awsProperties(AwsTarget aws) {
        Properties properties = new Properties();
        properties.setProperty("aws.region", aws.region().id());
        aws.endpoint("kinesis").ifPresent(uri -> properties.setProperty("aws.endpoint.kinesis", uri.toString()));
        aws.endpoint("s3").ifPresent(uri -> properties.setProperty("aws.endpoint.s3", uri.toString()));
        if (aws.isEmulated()) {
            AwsCredentials credentials = aws.credentials().resolveCredentials();
            properties.setProperty("aws.credentials.provider", "BASIC");
            properties.setProperty("aws.credentials.provider.basic.accesskeyid", credentials.accessKeyId());
            properties.setProperty("aws.credentials.provider.basic.secretkey", credentials.secretAccessKey());
        }
        return properties;
    }

    static AwsConnection of(AwsTarget aws) {
        Properties properties = awsProperties(aws);
        properties.setProperty("reference.bucket", "unused");
        properties.setProperty("output.customer-window-totals.stream-arn", "unused");
        properties.setProperty("output.low-traffic-alerts.stream-arn", "unused");
        properties.setProperty("output.dead-letters.stream-arn", "unused");
        return JobSettings.from(properties).aws();
    }
}
