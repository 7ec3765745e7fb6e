package org.abctolls.kclhost;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of a Lambda event source mapping for Kinesis that the host reproduces, with
 * Lambda's names and meanings.
 *
 * @param batchSize most records per invocation (Lambda: 1 to 10,000)
 * @param maximumBatchingWindow how long to gather records before invoking with fewer than a full batch
 * @param bisectBatchOnFunctionError on a function error, retry the two halves of the batch separately
 * @param reportBatchItemFailures read {@code batchItemFailures} from the response and retry
 *     from the first failed record only
 * @param maximumRetryAttempts retries of a failing batch before it goes to the on-failure
 *     destination and the shard moves on; -1 retries until it succeeds
 */
public record EventSourceMapping(
        int batchSize,
        Duration maximumBatchingWindow,
        boolean bisectBatchOnFunctionError,
        boolean reportBatchItemFailures,
        int maximumRetryAttempts) {

    public EventSourceMapping {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be between 1 and 10000, was " + batchSize);
        }
        Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
        if (maximumRetryAttempts < -1) {
            throw new IllegalArgumentException("maximumRetryAttempts must be -1 or more, was " + maximumRetryAttempts);
        }
    }

    public boolean retriesForever() {
        return maximumRetryAttempts == -1;
    }
}
