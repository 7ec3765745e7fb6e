package org.abctolls.localkit;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS account that code under test talks to: the local kit, a LocalStack container, or
 * a real account. Endpoints follow the SDK's own convention: {@code AWS_ENDPOINT_URL_<SERVICE>}
 * for one service, else {@code AWS_ENDPOINT_URL} for all, else the service's real endpoint.
 * Production code needs none of this (the SDK reads those variables itself); tests need it
 * because the kit's endpoints are not in the test JVM's environment.
 */
public final class AwsTarget {

    static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    static final String FIREHOSE_ROLE_ARN = "TOLLS_FIREHOSE_ROLE_ARN";

    /** Emulators accept any role; a real account needs one Firehose can assume. */
    private static final String EMULATED_FIREHOSE_ROLE_ARN = "arn:aws:iam::000000000000:role/firehose-delivery";

    private static final Duration EMULATOR_SOCKET_TIMEOUT = Duration.ofMinutes(3);

    private final String description;
    private final Map<String, String> settings;
    private final Region region;
    private final AwsCredentialsProvider credentials;

    private AwsTarget(
            String description, Map<String, String> settings, Region region, AwsCredentialsProvider credentials) {
        this.description = description;
        this.settings = Map.copyOf(settings);
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * True when the environment points at other endpoints than the local kit: a LocalStack
     * container ({@code AWS_ENDPOINT_URL}) or a real account ({@code TOLLS_AWS_TARGET=aws}).
     */
    public static boolean isNamedBy(Map<String, String> environment) {
        return environment.containsKey(ENDPOINT_URL) || "aws".equals(environment.get("TOLLS_AWS_TARGET"));
    }

    /**
     * What the commands run against: the endpoints the environment names, or else the local kit
     * that {@code ./tolls} has started for them.
     */
    public static AwsTarget of(Map<String, String> environment) {
        return isNamedBy(environment)
                ? fromEnvironment(environment)
                : localKit(LocalKit.find(environment).endpoints());
    }

    /** The local kit, from the endpoints file that {@code ./tolls local up} writes. */
    public static AwsTarget localKit(Map<String, String> kitEndpoints) {
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                kitEndpoints.get("AWS_ACCESS_KEY_ID"), kitEndpoints.get("AWS_SECRET_ACCESS_KEY")));
        return new AwsTarget(
                "local kit at " + kitEndpoints.get(ENDPOINT_URL),
                kitEndpoints,
                Region.of(kitEndpoints.get("AWS_REGION")),
                credentials);
    }

    /** Whatever the environment names: endpoint variables, the default region and credential chains. */
    public static AwsTarget fromEnvironment(Map<String, String> environment) {
        Region region = Optional.ofNullable(environment.get("AWS_REGION"))
                .map(Region::of)
                .orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
        String description = environment.containsKey(ENDPOINT_URL)
                ? "endpoints from the environment (" + environment.get(ENDPOINT_URL) + ")"
                : "AWS account in " + region;
        return new AwsTarget(
                description,
                environment,
                region,
                DefaultCredentialsProvider.builder().build());
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** The endpoint override for a service, by its SDK environment name (KINESIS, DYNAMODB, S3, ...). */
    public Optional<URI> endpoint(String service) {
        String serviceSpecific = settings.get(ENDPOINT_URL + "_" + service.toUpperCase(Locale.ROOT));
        return Optional.ofNullable(serviceSpecific != null ? serviceSpecific : settings.get(ENDPOINT_URL))
                .map(URI::create);
    }

    public boolean isEmulated() {
        return settings.keySet().stream().anyMatch(key -> key.startsWith(ENDPOINT_URL));
    }

    /** Role that Firehose assumes to write to S3. */
    public String firehoseRoleArn() {
        String configured = settings.get(FIREHOSE_ROLE_ARN);
        if (configured != null) {
            return configured;
        }
        if (isEmulated()) {
            return EMULATED_FIREHOSE_ROLE_ARN;
        }
        throw new IllegalStateException(
                FIREHOSE_ROLE_ARN + " must name a role Firehose can assume to write to S3 in " + region);
    }

    /**
     * A client for the service on this target. Against an emulator the socket timeout is
     * long: kinesis-mock's PutRecords slows down as a shard fills (seconds per call for tens
     * of thousands of records), and a call the client gives up on is still stored, so the
     * SDK's retry would store it twice.
     */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String service) {
        configure(builder, service);
        if (endpoint(service).isPresent()) {
            builder.httpClientBuilder(Apache5HttpClient.builder().socketTimeout(EMULATOR_SOCKET_TIMEOUT));
        }
        return builder.build();
    }

    /** Region, credentials and endpoint of the service on this target, for any client builder (async ones too). */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(region).credentialsProvider(credentials);
        endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    public KinesisClient kinesis() {
        return client(KinesisClient.builder(), "KINESIS");
    }

    public DynamoDbClient dynamoDb() {
        return client(DynamoDbClient.builder(), "DYNAMODB");
    }

    public SnsClient sns() {
        return client(SnsClient.builder(), "SNS");
    }

    public SqsClient sqs() {
        return client(SqsClient.builder(), "SQS");
    }

    public CloudFormationClient cloudFormation() {
        return client(CloudFormationClient.builder(), "CLOUDFORMATION");
    }

    public FirehoseClient firehose() {
        return client(FirehoseClient.builder(), "FIREHOSE");
    }

    /**
     * The warehouse that stands in for Redshift where the local pipeline runs: the kit's
     * PostgreSQL, or the one {@code TOLLS_WAREHOUSE_JDBC_URL} names beside other endpoints.
     * Empty on a real account, whose warehouse is the stack's Redshift.
     */
    public Optional<Warehouse> warehouse() {
        return Optional.ofNullable(settings.get(Warehouse.JDBC_URL_VARIABLE))
                .filter(url -> !url.isBlank())
                .map(Warehouse::new);
    }

    /** Emulators on a bare host name cannot serve virtual-hosted bucket names (no DNS for them). */
    public S3Client s3() {
        return client(S3Client.builder().forcePathStyle(endpoint("S3").isPresent()), "S3");
    }

    @Override
    public String toString() {
        return description;
    }
}
