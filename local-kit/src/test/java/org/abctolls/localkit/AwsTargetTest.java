package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

class AwsTargetTest {

    private static final Map<String, String> KIT = Map.of(
            "AWS_ENDPOINT_URL", "http://127.0.0.1:4566",
            "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000",
            "AWS_REGION", "us-east-1",
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test");

    @Test
    void aServiceSpecificEndpointWinsOverTheGeneralOne() {
        AwsTarget kit = AwsTarget.localKit(KIT);

        assertThat(kit.endpoint("DYNAMODB")).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(kit.endpoint("dynamodb")).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(kit.endpoint("KINESIS")).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(kit.region()).isEqualTo(Region.US_EAST_1);
        assertThat(kit.isEmulated()).isTrue();
    }

    @Test
    void withoutEndpointVariablesEveryServiceUsesItsRealEndpoint() {
        AwsTarget account = AwsTarget.fromEnvironment(Map.of("AWS_REGION", "eu-west-1", "TOLLS_AWS_TARGET", "aws"));

        assertThat(account.endpoint("KINESIS")).isEmpty();
        assertThat(account.region()).isEqualTo(Region.EU_WEST_1);
        assertThat(account.isEmulated()).isFalse();
    }

    @Test
    void aRealAccountNeedsAFirehoseRoleToBeNamed() {
        AwsTarget account = AwsTarget.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"));

        assertThatThrownBy(account::firehoseRoleArn).hasMessageContaining("TOLLS_FIREHOSE_ROLE_ARN");
        assertThat(AwsTarget.fromEnvironment(
                                Map.of("AWS_REGION", "eu-west-1", "TOLLS_FIREHOSE_ROLE_ARN", "arn:aws:iam::1:role/r"))
                        .firehoseRoleArn())
                .isEqualTo("arn:aws:iam::1:role/r");
    }

    @Test
    void theEnvironmentNamesOtherEndpointsOnlyThroughTheStandardVariablesOrAnExplicitAccount() {
        assertThat(AwsTarget.isNamedBy(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566")))
                .isTrue();
        assertThat(AwsTarget.isNamedBy(Map.of("TOLLS_AWS_TARGET", "aws"))).isTrue();
        assertThat(AwsTarget.isNamedBy(Map.of("AWS_REGION", "us-east-1"))).isFalse();
    }

    @Test
    void theCommandsRunAgainstTheEndpointsTheEnvironmentNamesInsteadOfTheKit() {
        assertThat(AwsTarget.of(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566", "AWS_REGION", "us-east-1")))
                .hasToString("endpoints from the environment (http://localhost:4566)");
    }

    @Test
    void otherwiseTheCommandsRunAgainstTheKitThatLocalUpStarted(@TempDir Path runDirectory) throws IOException {
        Properties endpoints = new Properties();
        endpoints.putAll(KIT);
        try (Writer file = Files.newBufferedWriter(runDirectory.resolve("endpoints.properties"))) {
            endpoints.store(file, null);
        }

        AwsTarget kit = AwsTarget.of(Map.of("TOLLS_RUN_DIR", runDirectory.toString()));

        assertThat(kit).hasToString("local kit at http://127.0.0.1:4566");
        assertThat(kit.endpoint("DYNAMODB")).contains(URI.create("http://127.0.0.1:8000"));
    }
}
