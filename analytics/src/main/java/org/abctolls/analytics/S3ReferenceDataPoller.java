package org.abctolls.analytics;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.abctolls.domain.ReferenceDataException;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.function.SerializableSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the reference data from S3 each time the source asks, downloading the files only
 * when their ETags have changed, and answers with what it found: a usable version, or an
 * unusable one with the reason (files that break the contract, are not UTF-8 or are too large;
 * no files; S3 out of reach). It never fails the job: the evaluator keeps the last usable
 * version in its checkpointed state and ignores the rest, so a bad upload, or a bad object
 * found when the job restarts, leaves the last good version in force. Each unusable version
 * is logged once and counted in {@code referenceDataRejected}; {@code referenceDataUnusable}
 * is 1 while the newest version read is unusable (an upload refused, or the files out of reach),
 * which the stack alarms on; the evaluator keeps the last usable version meanwhile, and with none
 * judges no station window. Both are in the {@code
 * kinesisanalytics} group, which Managed Flink sends to CloudWatch.
 */
final class S3ReferenceDataPoller implements GeneratorFunction<Long, ReferenceDataSnapshot> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(S3ReferenceDataPoller.class);

    static final String REJECTED = "referenceDataRejected";
    static final String UNUSABLE = "referenceDataUnusable";

    /** Far beyond any real network's files; a larger object is a mistake, not reference data to hold in memory. */
    static final long MAX_OBJECT_BYTES = 64L * 1024 * 1024;

    /** S3's answer to a download conditioned on an ETag the object no longer has. */
    private static final int PRECONDITION_FAILED = 412;

    /** Where the two files of contract section 2 are. */
    record Location(String bucket, String stationsKey, String thresholdsKey) implements Serializable {
        private static final long serialVersionUID = 1L;

        String describe() {
            return "s3://" + bucket + "/{" + stationsKey + "," + thresholdsKey + "}";
        }
    }

    private final SerializableSupplier<S3Client> client;
    private final Location location;
    private final long maxObjectBytes;
    private transient S3Client s3;
    private transient Counter rejectedVersions;
    /** Written by the source's thread, read by the metric reporter's. */
    private transient volatile ReferenceDataSnapshot latest;

    S3ReferenceDataPoller(AwsConnection aws, Location location) {
        this(aws::s3, location, MAX_OBJECT_BYTES);
    }

    /** @param client makes the poller's S3 client where the source runs */
    S3ReferenceDataPoller(SerializableSupplier<S3Client> client, Location location, long maxObjectBytes) {
        this.client = client;
        this.location = location;
        this.maxObjectBytes = maxObjectBytes;
    }

    @Override
    public void open(SourceReaderContext context) {
        s3 = client.get();
        MetricGroup metrics = context.metricGroup().addGroup(AnalyticsJob.CountLatePassages.METRIC_GROUP);
        rejectedVersions = metrics.counter(REJECTED);
        metrics.gauge(UNUSABLE, (Gauge<Integer>) () -> {
            ReferenceDataSnapshot answered = latest;
            return answered == null || answered.isUsable() ? 0 : 1;
        });
    }

    @Override
    public void close() {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    public ReferenceDataSnapshot map(Long poll) {
        try {
            try {
                look();
            } catch (S3Exception e) {
                if (e.statusCode() != PRECONDITION_FAILED) {
                    throw e;
                }
                // A file was replaced between the look at its ETag and its download: look again.
                look();
            }
        } catch (SdkException e) {
            if (latest == null) {
                latest = rejected(
                        ReferenceDataSnapshot.unusable("none", "cannot read " + location.describe() + ": " + e));
            } else {
                LOG.warn(
                        "cannot read the reference data at {}, still answering version {}: {}",
                        location.describe(),
                        latest.version(),
                        e.toString());
            }
        }
        return latest;
    }

    /** Reads the files if their ETags changed since the version answered last. */
    private void look() {
        HeadObjectResponse stations = head(location.stationsKey());
        HeadObjectResponse thresholds = head(location.thresholdsKey());
        String version = stations.eTag() + " " + thresholds.eTag();
        if (latest == null || !version.equals(latest.version())) {
            latest = read(version, stations, thresholds);
        }
    }

    private ReferenceDataSnapshot read(String version, HeadObjectResponse stations, HeadObjectResponse thresholds) {
        for (HeadObjectResponse object : new HeadObjectResponse[] {stations, thresholds}) {
            if (object.contentLength() > maxObjectBytes) {
                return rejected(ReferenceDataSnapshot.unusable(
                        version,
                        "an object of " + object.contentLength() + " bytes, more than the " + maxObjectBytes
                                + " a reference file may have"));
            }
        }
        ReferenceDataSnapshot candidate;
        try {
            candidate = ReferenceDataSnapshot.usable(
                    utf8(location.stationsKey(), stations.eTag()),
                    utf8(location.thresholdsKey(), thresholds.eTag()),
                    version);
            candidate.parse();
        } catch (CharacterCodingException e) {
            return rejected(ReferenceDataSnapshot.unusable(version, "a file is not UTF-8 text: " + e.getMessage()));
        } catch (ReferenceDataException e) {
            return rejected(ReferenceDataSnapshot.unusable(version, e.getMessage()));
        }
        LOG.info("reference data version {} from {}", version, location.describe());
        return candidate;
    }

    private ReferenceDataSnapshot rejected(ReferenceDataSnapshot unusable) {
        LOG.error(
                "reference data version {} at {} cannot be used, the version in force stays: {}",
                unusable.version(),
                location.describe(),
                unusable.problem());
        rejectedVersions.inc();
        return unusable;
    }

    private HeadObjectResponse head(String key) {
        return s3.headObject(request -> request.bucket(location.bucket()).key(key));
    }

    /**
     * The object as text, refusing bytes that are not UTF-8 rather than replacing them. Read only
     * if it still has the ETag its look found: an object replaced since then, maybe by one over
     * the size limit, fails the read (S3 answers 412) instead of being taken for that version.
     */
    private String utf8(String key, String eTag) throws CharacterCodingException {
        byte[] bytes = s3.getObjectAsBytes(
                        request -> request.bucket(location.bucket()).key(key).ifMatch(eTag))
                .asByteArrayUnsafe();
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }
}
