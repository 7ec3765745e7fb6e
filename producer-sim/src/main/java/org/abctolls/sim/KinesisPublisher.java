package org.abctolls.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abctolls.domain.DeadLetter;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Sends records to a stream with PutRecords, one call in flight: the entries a call reports
 * as failed are retried, with exponential backoff and full jitter, before any later record
 * is sent, so no later call overtakes a failed record. (Within one call Kinesis may store an
 * entry that follows a failed one; a throttled shard usually fails all its later entries of
 * the call, and an emulator's injected fault fails the whole call.)
 * Throttling (ProvisionedThroughputExceeded) also widens a pause between calls that
 * narrows again as calls succeed, so the producer slows down rather than fails. A record
 * that still fails after the retry budget is counted as failed, never dropped silently.
 *
 * <p>A record that Kinesis cannot take at all (data and partition key over 1 MiB) is not
 * sent: it is kept, with the reason, in {@link #rejected()}, and the others go on.
 */
public final class KinesisPublisher {

    /** The part of KinesisClient this needs, so tests can stand in for Kinesis. */
    @FunctionalInterface
    public interface PutRecordsCall {
        PutRecordsResponse putRecords(PutRecordsRequest request);
    }

    /** Waits between attempts; tests record the pauses instead. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    private static final String THROTTLED = "ProvisionedThroughputExceededException";
    private static final Duration MAX_THROTTLE_PAUSE = Duration.ofSeconds(1);

    private final PutRecordsCall kinesis;
    private final String streamName;
    private final RetryPolicy retryPolicy;
    private final Pause pause;
    private final Random jitter;
    private final PublishStats stats = new PublishStats();
    private final List<DeadLetter> rejected = Collections.synchronizedList(new ArrayList<>());
    private Duration throttlePause = Duration.ZERO;

    public KinesisPublisher(
            PutRecordsCall kinesis, String streamName, RetryPolicy retryPolicy, Pause pause, Random jitter) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.retryPolicy = retryPolicy;
        this.pause = pause;
        this.jitter = jitter;
    }

    public PublishStats stats() {
        return stats;
    }

    /** The records kept back because Kinesis cannot take them, each with the reason and its partition key. */
    public List<DeadLetter> rejected() {
        synchronized (rejected) {
            return List.copyOf(rejected);
        }
    }

    /**
     * Sends every emission in order; afterwards {@link PublishStats#failed()} says how many could
     * not be sent, and {@link #rejected()} holds those that could never be.
     */
    public void publish(List<Emission> emissions) throws InterruptedException {
        List<PutRecordsRequestEntry> entries = new ArrayList<>(emissions.size());
        for (Emission emission : emissions) {
            if (RecordBatcher.fits(emission)) {
                entries.add(RecordBatcher.entry(emission));
            } else {
                rejected.add(new DeadLetter(
                        "a record of " + emission.kinesisSize() + " bytes (data and partition key) exceeds"
                                + " Kinesis' record limit of " + RecordBatcher.MAX_BYTES_PER_RECORD + " bytes",
                        emission.data(),
                        Map.of("partitionKey", emission.partitionKey())));
                stats.rejected.incrementAndGet();
            }
        }
        for (List<PutRecordsRequestEntry> batch : RecordBatcher.batches(entries)) {
            send(batch);
        }
    }

    private void send(List<PutRecordsRequestEntry> batch) throws InterruptedException {
        List<PutRecordsRequestEntry> pending = batch;
        for (int attempt = 1; ; attempt++) {
            if (!throttlePause.isZero()) {
                pause.pause(throttlePause);
            }
            List<PutRecordsRequestEntry> failed = attempt(pending);
            if (failed.isEmpty()) {
                return;
            }
            if (attempt == retryPolicy.maxAttempts()) {
                stats.failed.addAndGet(failed.size());
                return;
            }
            stats.retried.addAndGet(failed.size());
            pause.pause(backoff(attempt));
            pending = failed;
        }
    }

    /** One PutRecords call; returns the entries to try again, in their original order. */
    private List<PutRecordsRequestEntry> attempt(List<PutRecordsRequestEntry> entries) {
        PutRecordsResponse response;
        try {
            response = kinesis.putRecords(PutRecordsRequest.builder()
                    .streamName(streamName)
                    .records(entries)
                    .build());
        } catch (SdkException e) {
            // The SDK has already retried the call; a network fault, a throttle or a server error
            // is still worth our own slower retries, a client error (no such stream) is not.
            if (isTransient(e)) {
                slowDown();
                return entries;
            }
            throw e;
        }
        List<PutRecordsRequestEntry> failed = new ArrayList<>();
        boolean throttled = false;
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
            PutRecordsResultEntry result = results.get(i);
            if (result.errorCode() == null) {
                stats.sent.incrementAndGet();
                stats.bytes.addAndGet(RecordBatcher.size(entries.get(i)));
            } else {
                failed.add(entries.get(i));
                throttled |= THROTTLED.equals(result.errorCode());
            }
        }
        if (throttled) {
            slowDown();
        } else if (failed.isEmpty()) {
            throttlePause = throttlePause.dividedBy(2);
        }
        return failed;
    }

    private void slowDown() {
        stats.throttled.incrementAndGet();
        Duration widened = throttlePause.multipliedBy(2).plusMillis(10);
        throttlePause = widened.compareTo(MAX_THROTTLE_PAUSE) > 0 ? MAX_THROTTLE_PAUSE : widened;
    }

    private static boolean isTransient(SdkException e) {
        return e.retryable()
                || e instanceof SdkClientException
                || e instanceof ProvisionedThroughputExceededException
                || (e instanceof AwsServiceException service && service.statusCode() >= 500);
    }

    /** Full jitter: uniform between zero and the exponentially growing cap. */
    Duration backoff(int attempt) {
        long cap = Math.min(
                retryPolicy.maxDelay().toMillis(), retryPolicy.baseDelay().toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis((long) (jitter.nextDouble() * cap));
    }
}
