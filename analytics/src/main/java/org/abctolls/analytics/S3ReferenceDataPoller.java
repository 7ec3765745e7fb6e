package org.abctolls.analytics;

import java.io.Serializable;
import org.abctolls.domain.ReferenceDataException;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads the reference data from S3 each time the source asks, downloading the files only
 * when their ETags have changed, and returns the newest valid version.
 *
 * <p>The first version must load and be valid, or the job fails with the reason: without
 * stations and thresholds there is nothing to evaluate. After that, a version that breaks
 * the contract (say, a thresholds file uploaded before the stations file it needs) or an S3
 * error is logged and the previous version stays in force until a valid one appears.
 */
final class S3ReferenceDataPoller implements GeneratorFunction<Long, ReferenceDataSnapshot> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(S3ReferenceDataPoller.class);

    /** Where the two files of contract section 2 are. */
    record Location(String bucket, String stationsKey, String thresholdsKey) implements Serializable {
        private static final long serialVersionUID = 1L;

        String describe() {
            return "s3://" + bucket + "/{" + stationsKey + "," + thresholdsKey + "}";
        }
    }

    private final AwsConnection aws;
    private final Location location;
    private transient S3Client s3;
    private transient ReferenceDataSnapshot current;
    private transient String rejectedVersion;

    S3ReferenceDataPoller(AwsConnection aws, Location location) {
        this.aws = aws;
        this.location = location;
    }

    @Override
    public void open(SourceReaderContext context) {
        s3 = aws.s3();
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
            return latest();
        } catch (SdkException e) {
            if (current == null) {
                throw new IllegalStateException("cannot read the reference data at " + location.describe(), e);
            }
            LOG.warn(
                    "cannot read the reference data at {}, still using version {}: {}",
                    location.describe(),
                    current.version(),
                    e.toString());
            return current;
        }
    }

    private ReferenceDataSnapshot latest() {
        String version = eTag(location.stationsKey()) + " " + eTag(location.thresholdsKey());
        if (current != null && (version.equals(current.version()) || version.equals(rejectedVersion))) {
            return current;
        }
        ResponseBytes<GetObjectResponse> stations = get(location.stationsKey());
        ResponseBytes<GetObjectResponse> thresholds = get(location.thresholdsKey());
        // The versions of what was downloaded, which a concurrent upload may have made newer than the HEADs'.
        ReferenceDataSnapshot candidate = new ReferenceDataSnapshot(
                stations.asUtf8String(),
                thresholds.asUtf8String(),
                stations.response().eTag() + " " + thresholds.response().eTag());
        try {
            ReferenceDataSnapshot.Parsed parsed = candidate.parse();
            LOG.info(
                    "reference data version {} from {}: {} stations",
                    candidate.version(),
                    location.describe(),
                    parsed.stations().size());
        } catch (ReferenceDataException e) {
            if (current == null) {
                throw new IllegalStateException("the reference data at " + location.describe() + " is invalid", e);
            }
            LOG.error(
                    "rejected reference data version {} from {}, still using version {}: {}",
                    candidate.version(),
                    location.describe(),
                    current.version(),
                    e.getMessage());
            rejectedVersion = candidate.version();
            return current;
        }
        current = candidate;
        return current;
    }

    private String eTag(String key) {
        return s3.headObject(request -> request.bucket(location.bucket()).key(key))
                .eTag();
    }

    private ResponseBytes<GetObjectResponse> get(String key) {
        return s3.getObjectAsBytes(request -> request.bucket(location.bucket()).key(key));
    }
}
