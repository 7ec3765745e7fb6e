package org.abctolls.analytics;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Everything the deployed job needs, read once from one flat set of properties: Managed
 * Flink's runtime property group {@value #PROPERTY_GROUP}, or a local properties file. Every
 * key is listed in {@link #KEYS} with its default and documented in the module README; an
 * unknown key (a typo) or a bad value stops the job at start with the key's name.
 */
public record JobSettings(
        AwsConnection aws,
        String inputStream,
        InitialPosition initialPosition,
        String customerWindowTotalsStreamArn,
        String lowTrafficAlertsStreamArn,
        String deadLettersStreamArn,
        S3ReferenceDataPoller.Location referenceData,
        Duration referencePollInterval,
        JobConfig job,
        Duration checkpointInterval) {

    /**
     * No setting needs more than Kinesis' longest retention (a year), and event-time arithmetic
     * (a window's end plus the billing lateness) must not overflow.
     */
    static final Duration LONGEST_DURATION = Duration.ofDays(366);

    /** Reference data changes by hand, seldom; a shorter interval would only multiply S3 requests. */
    static final Duration SHORTEST_POLL_INTERVAL = Duration.ofSeconds(1);

    /** The runtime property group the CDK stack fills in on Managed Flink. */
    public static final String PROPERTY_GROUP = "AnalyticsJob";

    /** Where the job starts reading a stream when it has no checkpoint to restore. */
    public enum InitialPosition {
        /** The oldest retained record: nothing retained goes unbilled. */
        TRIM_HORIZON,
        /** Only what arrives from now on. */
        LATEST
    }

    /** Every key the job reads and its default; {@code null} where the key is required. */
    public static final Map<String, String> KEYS = keys();

    private static Map<String, String> keys() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("aws.region", null);
        keys.put("aws.endpoint.kinesis", "");
        keys.put("aws.endpoint.s3", "");
        keys.put("aws.credentials.provider", "AUTO");
        keys.put("aws.credentials.provider.basic.accesskeyid", "");
        keys.put("aws.credentials.provider.basic.secretkey", "");
        keys.put("input.stream", "toll-events");
        keys.put("input.initial-position", "TRIM_HORIZON");
        keys.put("output.customer-window-totals.stream-arn", null);
        keys.put("output.low-traffic-alerts.stream-arn", null);
        keys.put("output.dead-letters.stream-arn", null);
        keys.put("reference.bucket", null);
        keys.put("reference.stations-key", "stations.csv");
        keys.put("reference.thresholds-key", "station-thresholds.csv");
        keys.put("reference.poll-interval", "PT1M");
        keys.put("watermark.bound", JobConfig.DEFAULTS.watermarkBound().toString());
        keys.put("watermark.idle-timeout", JobConfig.DEFAULTS.idleTimeout().toString());
        keys.put("watermark.after-every-record", String.valueOf(JobConfig.DEFAULTS.watermarkAfterEveryRecord()));
        keys.put("billing.lateness", JobConfig.DEFAULTS.billingLateness().toString());
        keys.put("deduplication.ttl", JobConfig.DEFAULTS.deduplicationTtl().toString());
        keys.put(
                "validation.future-tolerance",
                JobConfig.DEFAULTS.futureTolerance().toString());
        keys.put("checkpoint.interval", "PT1M");
        return Collections.unmodifiableMap(keys);
    }

    /** The {@code aws.*} properties that {@link #from} reads back as this connection. */
    public static Properties awsProperties(AwsConnection aws) {
        Properties properties = new Properties();
        properties.setProperty("aws.region", aws.region());
        if (aws.kinesisEndpoint() != null) {
            properties.setProperty("aws.endpoint.kinesis", aws.kinesisEndpoint().toString());
        }
        if (aws.s3Endpoint() != null) {
            properties.setProperty("aws.endpoint.s3", aws.s3Endpoint().toString());
        }
        properties.setProperty("aws.credentials.provider", aws.credentials().name());
        if (aws.credentials() == AwsConnection.Credentials.BASIC) {
            properties.setProperty("aws.credentials.provider.basic.accesskeyid", aws.basicAccessKeyId());
            properties.setProperty("aws.credentials.provider.basic.secretkey", aws.basicSecretKey());
        }
        return properties;
    }

    /**
     * @throws IllegalArgumentException naming every unknown key, missing key and bad value
     */
    public static JobSettings from(Properties properties) {
        Reader reader = new Reader(properties);
        String region = reader.required("aws.region");
        URI kinesisEndpoint = reader.uri("aws.endpoint.kinesis");
        URI s3Endpoint = reader.uri("aws.endpoint.s3");
        AwsConnection.Credentials credentials =
                reader.enumValue("aws.credentials.provider", AwsConnection.Credentials.class);
        String accessKeyId = reader.optional("aws.credentials.provider.basic.accesskeyid");
        String secretKey = reader.optional("aws.credentials.provider.basic.secretkey");
        if (credentials == AwsConnection.Credentials.BASIC && (accessKeyId == null || secretKey == null)) {
            reader.problem("aws.credentials.provider: BASIC needs aws.credentials.provider.basic.accesskeyid "
                    + "and aws.credentials.provider.basic.secretkey");
        }
        String inputStream = reader.required("input.stream");
        InitialPosition initialPosition = reader.enumValue("input.initial-position", InitialPosition.class);
        String totalsStream = reader.required("output.customer-window-totals.stream-arn");
        String alertsStream = reader.required("output.low-traffic-alerts.stream-arn");
        String deadLettersStream = reader.required("output.dead-letters.stream-arn");
        S3ReferenceDataPoller.Location referenceData = new S3ReferenceDataPoller.Location(
                reader.required("reference.bucket"),
                reader.required("reference.stations-key"),
                reader.required("reference.thresholds-key"));
        Duration pollInterval = reader.duration("reference.poll-interval");
        if (pollInterval.compareTo(SHORTEST_POLL_INTERVAL) < 0) {
            reader.problem("reference.poll-interval: at least " + SHORTEST_POLL_INTERVAL
                    + " (each poll asks S3 twice), was \"" + reader.optional("reference.poll-interval") + "\"");
        }
        JobConfig job = new JobConfig(
                reader.duration("watermark.bound"),
                reader.duration("watermark.idle-timeout"),
                reader.duration("billing.lateness"),
                reader.duration("deduplication.ttl"),
                reader.bool("watermark.after-every-record"),
                reader.duration("validation.future-tolerance"));
        Duration checkpointInterval = reader.duration("checkpoint.interval");
        reader.failOnProblems();
        return new JobSettings(
                new AwsConnection(region, kinesisEndpoint, s3Endpoint, credentials, accessKeyId, secretKey),
                inputStream,
                initialPosition,
                totalsStream,
                alertsStream,
                deadLettersStream,
                referenceData,
                pollInterval,
                job,
                checkpointInterval);
    }

    /** How often the reference-data source asks S3, to the millisecond of the interval. */
    double referencePollsPerSecond() {
        return 1000.0 / referencePollInterval.toMillis();
    }

    /** Collects every problem before failing, so that one start shows them all. */
    private static final class Reader {
        private final Properties properties;
        private final List<String> problems = new ArrayList<>();

        Reader(Properties properties) {
            this.properties = properties;
            TreeSet<String> unknown = new TreeSet<>(properties.stringPropertyNames());
            unknown.removeAll(KEYS.keySet());
            for (String key : unknown) {
                problems.add(key + ": unknown key");
            }
        }

        String optional(String key) {
            String value = properties.getProperty(key, KEYS.get(key));
            return value == null || value.isBlank() ? null : value.trim();
        }

        String required(String key) {
            String value = optional(key);
            if (value == null) {
                problems.add(key + ": required");
            }
            return value == null ? "" : value;
        }

        URI uri(String key) {
            String value = optional(key);
            if (value == null) {
                return null;
            }
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below, with the key
            }
            problems.add(key + ": expected a URL such as http://127.0.0.1:4566, was \"" + value + "\"");
            return null;
        }

        Duration duration(String key) {
            String value = required(key);
            try {
                Duration duration = Duration.parse(value);
                if (!duration.isNegative() && !duration.isZero() && duration.compareTo(LONGEST_DURATION) <= 0) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below, with the key
            }
            problems.add(key + ": expected a positive ISO-8601 duration of at most P366D such as PT60S, was \"" + value
                    + "\"");
            return Duration.ofSeconds(1);
        }

        boolean bool(String key) {
            String value = required(key);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(key + ": expected true or false, was \"" + value + "\"");
            }
            return Boolean.parseBoolean(value);
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String value = required(key);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(value)) {
                    return constant;
                }
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name());
            }
            problems.add(key + ": expected one of " + names + ", was \"" + value + "\"");
            return type.getEnumConstants()[0];
        }

        void problem(String problem) {
            problems.add(problem);
        }

        void failOnProblems() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid job properties:\n  " + String.join("\n  ", problems));
            }
        }
    }
}
