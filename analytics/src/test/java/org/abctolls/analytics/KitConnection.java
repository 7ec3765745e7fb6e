package org.abctolls.analytics;

import java.util.Properties;
import org.abctolls.localkit.AwsTarget;

/** The job's {@code aws.*} properties for whatever AWS the tests run against. */
final class KitConnection {

    private KitConnection() {}

    static Properties awsProperties(AwsTarget aws) {
        return JobSettings.awsProperties(AwsConnection.of(
                aws.region().id(),
                aws.endpoint("kinesis").orElse(null),
                aws.endpoint("s3").orElse(null),
                aws.isEmulated(),
                aws.credentials()));
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
