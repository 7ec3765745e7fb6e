package org.abctolls.analytics;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where and as whom the job reaches AWS: the region, an endpoint per service (set only for
 * an emulator such as the local kit), and the credentials.
 *
 * <p>Plain nullable components rather than {@code Optional}s, because Flink ships this
 * record to its tasks with Java serialization.
 *
 * @param kinesisEndpoint null for AWS's own
 * @param s3Endpoint null for AWS's own
 * @param credentials {@code AUTO} (the default chain: on Managed Flink, the application's
 *     role) or {@code BASIC}, with the two keys below; for emulators only
 */
public record AwsConnection(
        String region,
        URI kinesisEndpoint,
        URI s3Endpoint,
        Credentials credentials,
        String basicAccessKeyId,
        String basicSecretKey)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum Credentials {
        AUTO,
        BASIC
    }

    public AwsConnection {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
        if (credentials == Credentials.BASIC && (basicAccessKeyId == null || basicSecretKey == null)) {
            throw new IllegalArgumentException("BASIC credentials need both an access key id and a secret key");
        }
    }

    /**
     * The connection to a target given by its parts: for an emulator, the keys the provider
     * gives now (an emulator takes any); for AWS, the default chain, and no keys carried.
     */
    public static AwsConnection of(
            String region, URI kinesisEndpoint, URI s3Endpoint, boolean emulated, AwsCredentialsProvider keys) {
        if (!emulated) {
            return new AwsConnection(region, kinesisEndpoint, s3Endpoint, Credentials.AUTO, null, null);
        }
        AwsCredentials resolved = keys.resolveCredentials();
        return new AwsConnection(
                region,
                kinesisEndpoint,
                s3Endpoint,
                Credentials.BASIC,
                resolved.accessKeyId(),
                resolved.secretAccessKey());
    }

    /** The properties the Kinesis connector's consumer and sink read. */
    public Properties kinesisConnectorProperties() {
        Properties properties = new Properties();
        properties.setProperty(AWSConfigConstants.AWS_REGION, region);
        if (kinesisEndpoint != null) {
            properties.setProperty(AWSConfigConstants.AWS_ENDPOINT, kinesisEndpoint.toString());
        }
        properties.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, credentials.name());
        if (credentials == Credentials.BASIC) {
            properties.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, basicAccessKeyId);
            properties.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, basicSecretKey);
        }
        return properties;
    }

    /**
     * The reference data's client. It makes one small request a poll, so the JDK's own HTTP
     * connection serves it: no pool to keep, fewer classes in the jar, and no dependency on the
     * JDK's optional {@code jdk.net} module, which the Apache client's sockets load.
     */
    public S3Client s3() {
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(region))
                .credentialsProvider(credentialsProvider());
        if (s3Endpoint != null) {
            // Emulators serve buckets by path, not by host name.
            builder.endpointOverride(s3Endpoint).forcePathStyle(true);
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentialsProvider() {
        return credentials == Credentials.BASIC
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(basicAccessKeyId, basicSecretKey))
                : DefaultCredentialsProvider.builder().build();
    }

    @Override
    public String toString() {
        // Never the secret key, even an emulator's.
        return "AwsConnection[region=" + region + ", kinesisEndpoint=" + kinesisEndpoint + ", s3Endpoint=" + s3Endpoint
                + ", credentials=" + credentials + "]";
    }
}
