package org.abctolls.infra;

import java.util.Objects;
import java.util.function.IntFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.constructs.Node;

/**
 * The deployment's settings and the pipeline's numbers, which the stack passes to the
 * constructs: defaults here, the first seven overridable with CDK context ({@code cdk deploy -c
 * shards=4}). A construct's own defaults (its function's retries, the loader's rotation) are
 * the construct's.
 *
 * @param streamMode {@code streamMode}: PROVISIONED (default) or ON_DEMAND
 * @param shards {@code shards}: shards of each stream in PROVISIONED mode
 * @param retention {@code retentionHours}: how long the streams keep records (24 to 8760)
 * @param warehouse {@code warehouse}: {@code redshift} (default) or {@code s3} for an archive
 *     without a warehouse bill
 * @param flinkParallelism {@code flinkParallelism}: the analytics job's starting parallelism
 * @param silenceAlarm {@code silenceMinutes}: how long the toll stream may receive nothing before
 *     operators are alarmed (a road that falls silent is an outage upstream, not a quiet hour)
 * @param futureTolerance {@code futureToleranceMinutes}: how far ahead of its arrival a toll
 *     event may be stamped (the contract's tolerance, 5 minutes by default); the job and the
 *     warehouse's transformation both judge by it
 */
public record PipelineSettings(
        StreamMode streamMode,
        int shards,
        Duration retention,
        Warehouse warehouse,
        int flinkParallelism,
        Duration silenceAlarm,
        Duration futureTolerance) {

    public enum Warehouse {
        REDSHIFT,
        S3
    }

    /** The analytics job's runtime property group; the same name as in {@code JobSettings}. */
    public static final String ANALYTICS_PROPERTY_GROUP = "AnalyticsJob";

    public static final String FUNCTIONS_JAR = "functions/target/abc-tolls-functions.jar";
    public static final String ANALYTICS_JAR = "analytics/target/abc-tolls-analytics.jar";
    public static final String REFERENCE_DATA_DIR = "infra/reference-data";
    /**
     * The warehouse's DDL: every {@code .sql} file of this folder, run in name order at deploy
     * time (the table, then the analysts' view); the local warehouse runs the same files.
     */
    public static final String WAREHOUSE_DDL_DIR = "infra/sql";

    /**
     * Firehose buffers: records wait up to a minute for the transformation ({@link
     * StreamToWarehouse#TRANSFORM_BUFFER_SECONDS}), then flush to S3 every 5 minutes or 64 MiB,
     * whichever first; the COPY into Redshift follows each object. So a passage is normally in
     * the warehouse about 6 minutes (plus the COPY's own seconds) after it reached the stream.
     * A failed COPY is retried for {@link #WAREHOUSE_COPY_RETRY}, Firehose's longest: the
     * 30-minute promise breaks when Redshift is out of reach for about 20 minutes (the CopyFailing
     * alarm fires after 10), but only after two hours does Firehose skip an object, leaving its
     * passages out of the warehouse until someone loads them again from the manifest it writes
     * under the error prefix.
     */
    public static final Duration FIREHOSE_BUFFER_INTERVAL = Duration.minutes(5);

    public static final int FIREHOSE_BUFFER_MIB = 64;
    public static final Duration WAREHOUSE_COPY_RETRY = Duration.hours(2);

    /** The event source mappings of both functions (the local KCL host reads them from the template). */
    public static final int BATCH_SIZE = 100;

    /**
     * None: a function is invoked as soon as Lambda's poll of a shard (once a second) finds
     * records, instead of waiting up to this long for a fuller batch. Alerts are the point of the
     * functions; the window totals come in bursts when windows close, which fill batches anyway,
     * so invocations hardly grow (README, cost table).
     */
    public static final Duration BATCHING_WINDOW = Duration.seconds(0);

    static final long SHORTEST_RETENTION_HOURS = 24;
    static final long LONGEST_RETENTION_HOURS = 365L * 24;

    /** 366 days: the longest duration the analytics job takes for a setting. */
    static final long LONGEST_FUTURE_TOLERANCE_MINUTES = 366L * 24 * 60;

    public PipelineSettings {
        Objects.requireNonNull(streamMode, "streamMode");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(silenceAlarm, "silenceAlarm");
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        long toleranceMinutes = futureTolerance.toMinutes().longValue();
        if (toleranceMinutes < 1 || toleranceMinutes > LONGEST_FUTURE_TOLERANCE_MINUTES) {
            // The job takes a positive duration of at most 366 days (JobSettings).
            throw new IllegalArgumentException("futureToleranceMinutes must be from 1 to "
                    + LONGEST_FUTURE_TOLERANCE_MINUTES + ", was " + toleranceMinutes);
        }
        long retentionHours = retention.toHours().longValue();
        if (retentionHours < SHORTEST_RETENTION_HOURS || retentionHours > LONGEST_RETENTION_HOURS) {
            // Kinesis' own bounds, refused at synth rather than by CloudFormation mid-deploy.
            throw new IllegalArgumentException("retentionHours must be from " + SHORTEST_RETENTION_HOURS + " to "
                    + LONGEST_RETENTION_HOURS + ", was " + retentionHours);
        }
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, was " + shards);
        }
        if (silenceAlarm.toMinutes().intValue() < 1) {
            throw new IllegalArgumentException("silenceMinutes must be at least 1");
        }
        if (flinkParallelism < 1) {
            throw new IllegalArgumentException("flinkParallelism must be at least 1, was " + flinkParallelism);
        }
    }

    /** The contract's window for a producer's re-send: the same eventId within it is the same passage. */
    public static final Duration RESEND_WINDOW = Duration.hours(24);

    /**
     * How long the job remembers an event id, in its (processing-time) state TTL, as an ISO-8601
     * duration: the re-send window plus the streams' retention. A re-send reaches Kinesis at most
     * a day after its first sighting, and the job reads it at most a retention after that, also
     * when it lags or restores an older snapshot and reads the stream again; by then a TTL of a
     * day alone may have dropped the first sighting's id, and the re-send would be billed too.
     */
    public String deduplicationTtl() {
        return "PT" + (RESEND_WINDOW.toHours().longValue() + retention.toHours().longValue()) + "H";
    }

    /**
     * How long the ledger keeps a window's entry (its applied version, a low-traffic alert's
     * marker) after the window, as an ISO-8601 duration: while a window's total can come again,
     * its entry must be there, or the total is billed twice. A total comes again when the job
     * reads the passages again (from the start of a stream it keeps for a retention) and may then
     * wait up to another retention on the totals' stream behind a stalled shard; 35 days more
     * cover the billing lateness, a re-send's day and an outage. For streams kept a day: 37 days.
     */
    public String ledgerEntriesKept() {
        return "PT" + (2 * retention.toHours().longValue() + 35 * 24) + "H";
    }

    /** {@link #futureTolerance} as an ISO-8601 duration, as the job's property and the transformation's variable. */
    public String futureToleranceText() {
        return "PT" + futureTolerance.toMinutes().longValue() + "M";
    }

    public static PipelineSettings defaults() {
        return new PipelineSettings(
                StreamMode.PROVISIONED,
                2,
                Duration.hours(24),
                Warehouse.REDSHIFT,
                2,
                Duration.minutes(15),
                Duration.minutes(5));
    }

    /** The defaults, overridden by whatever context the app was given. */
    public static PipelineSettings fromContext(Node node) {
        PipelineSettings defaults = defaults();
        return new PipelineSettings(
                StreamMode.valueOf(
                        context(node, "streamMode", defaults.streamMode().name())),
                Integer.parseInt(context(node, "shards", Integer.toString(defaults.shards()))),
                wholeUnits(
                        node, "retentionHours", defaults.retention().toHours().longValue(), Duration::hours),
                Warehouse.valueOf(context(node, "warehouse", "redshift").toUpperCase(java.util.Locale.ROOT)),
                Integer.parseInt(context(node, "flinkParallelism", Integer.toString(defaults.flinkParallelism()))),
                wholeUnits(
                        node,
                        "silenceMinutes",
                        defaults.silenceAlarm().toMinutes().longValue(),
                        Duration::minutes),
                wholeUnits(
                        node,
                        "futureToleranceMinutes",
                        defaults.futureTolerance().toMinutes().longValue(),
                        Duration::minutes));
    }

    /** A context value in whole units (hours, minutes); CDK's own error for a negative one would not name the key. */
    private static Duration wholeUnits(Node node, String key, long defaultValue, IntFunction<Duration> unit) {
        int value = Integer.parseInt(context(node, key, Long.toString(defaultValue)));
        if (value < 0) {
            throw new IllegalArgumentException(key + " must not be negative, was " + value);
        }
        return unit.apply(value);
    }

    private static String context(Node node, String key, String defaultValue) {
        Object value = node.tryGetContext(key);
        return value == null ? defaultValue : value.toString();
    }
}
