package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class JobSettingsTest {

    /** The keys a job needs, each set, the optional ones left out. */
    static Properties minimal() {
        Properties properties = new Properties();
        properties.setProperty("aws.region", "eu-west-1");
        properties.setProperty("reference.bucket", "tolls-reference");
        properties.setProperty("output.customer-window-totals.stream-arn", "arn:totals");
        properties.setProperty("output.low-traffic-alerts.stream-arn", "arn:alerts");
        properties.setProperty("output.dead-letters.stream-arn", "arn:dead-letters");
        return properties;
    }

    @Test
    void anEmulatorsConnectionCarriesTheKeysItWasGivenAndAwssTheDefaultChainWithoutKeys() {
        StaticCredentialsProvider keys =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "not-a-secret"));
        URI kit = URI.create("http://127.0.0.1:4566");

        assertThat(AwsConnection.of("eu-west-1", kit, kit, true, keys))
                .isEqualTo(new AwsConnection(
                        "eu-west-1", kit, kit, AwsConnection.Credentials.BASIC, "test", "not-a-secret"));
        assertThat(AwsConnection.of("eu-west-1", null, null, false, keys))
                .isEqualTo(new AwsConnection("eu-west-1", null, null, AwsConnection.Credentials.AUTO, null, null));
    }

    @Test
    void everyOptionalKeyHasTheContractsOrTheDocumentedDefault() {
        JobSettings settings = JobSettings.from(minimal());

        assertThat(settings.inputStream()).isEqualTo("toll-events");
        assertThat(settings.initialPosition()).isEqualTo(JobSettings.InitialPosition.TRIM_HORIZON);
        assertThat(settings.job()).isEqualTo(JobConfig.DEFAULTS);
        assertThat(settings.job().futureTolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.referenceData())
                .isEqualTo(new S3ReferenceDataPoller.Location(
                        "tolls-reference", "stations.csv", "station-thresholds.csv"));
        assertThat(settings.referencePollInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.aws())
                .isEqualTo(new AwsConnection("eu-west-1", null, null, AwsConnection.Credentials.AUTO, null, null));
        assertThat(settings.aws().kinesisConnectorProperties())
                .containsOnlyKeys("aws.region", "aws.credentials.provider");
    }

    @Test
    void anEmulatorGetsItsEndpointsAndBasicCredentialsWhichNeverShowInTheSettingsText() {
        Properties properties = minimal();
        properties.setProperty("aws.endpoint.kinesis", "http://127.0.0.1:4566");
        properties.setProperty("aws.endpoint.s3", "http://127.0.0.1:4566");
        properties.setProperty("aws.credentials.provider", "BASIC");
        properties.setProperty("aws.credentials.provider.basic.accesskeyid", "test");
        properties.setProperty("aws.credentials.provider.basic.secretkey", "s3cr3t");
        properties.setProperty("watermark.bound", "PT2M");
        properties.setProperty("watermark.after-every-record", "true");

        JobSettings settings = JobSettings.from(properties);

        assertThat(settings.aws().s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(settings.aws().kinesisConnectorProperties())
                .containsEntry("aws.endpoint", "http://127.0.0.1:4566")
                .containsEntry("aws.credentials.provider", "BASIC")
                .containsEntry("aws.credentials.provider.basic.secretkey", "s3cr3t");
        assertThat(settings.job().watermarkBound()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.job().watermarkAfterEveryRecord()).isTrue();
        assertThat(settings.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsKey() {
        Properties properties = new Properties();
        properties.setProperty("watermark.bund", "PT1M");
        properties.setProperty("watermark.bound", "60");
        properties.setProperty("billing.lateness", "P99999999D");
        properties.setProperty("input.initial-position", "EARLIEST");
        properties.setProperty("aws.endpoint.s3", "localhost");
        properties.setProperty("aws.credentials.provider", "BASIC");
        properties.setProperty("watermark.after-every-record", "yes");

        assertThatThrownBy(() -> JobSettings.from(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        """
                        invalid job properties:
                          watermark.bund: unknown key
                          aws.region: required
                          aws.endpoint.s3: expected a URL such as http://127.0.0.1:4566, was "localhost"
                          aws.credentials.provider: BASIC needs aws.credentials.provider.basic.accesskeyid \
                        and aws.credentials.provider.basic.secretkey
                          input.initial-position: expected one of [TRIM_HORIZON, LATEST], was "EARLIEST"
                          output.customer-window-totals.stream-arn: required
                          output.low-traffic-alerts.stream-arn: required
                          output.dead-letters.stream-arn: required
                          reference.bucket: required
                          watermark.bound: expected a positive ISO-8601 duration of at most P366D such as PT60S, \
                        was "60"
                          billing.lateness: expected a positive ISO-8601 duration of at most P366D such as PT60S, \
                        was "P99999999D"
                          watermark.after-every-record: expected true or false, was "yes\"""");
    }

    @Test
    void aReferencePollIntervalUnderASecondIsRefusedAndFractionsOfASecondCount() {
        Properties properties = minimal();
        properties.setProperty("reference.poll-interval", "PT0.5S");

        assertThatThrownBy(() -> JobSettings.from(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference.poll-interval: at least PT1S")
                .hasMessageContaining("was \"PT0.5S\"");
        properties.setProperty("reference.poll-interval", "PT1.5S");
        assertThat(JobSettings.from(properties).referencePollsPerSecond()).isCloseTo(1 / 1.5, within(1e-9));
    }

    @Test
    void everyKeyReadIsAKnownKey() {
        Properties all = new Properties();
        JobSettings.KEYS.forEach(
                (key, defaultValue) -> all.setProperty(key, defaultValue == null ? "x" : defaultValue));

        assertThat(JobSettings.from(all).inputStream()).isEqualTo("toll-events");
    }
}
