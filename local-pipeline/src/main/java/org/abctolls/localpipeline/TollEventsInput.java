package org.abctolls.localpipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.abctolls.sim.Emission;
import org.abctolls.sim.KinesisPublisher;
import org.abctolls.sim.PublishStats;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The run's input: records sent to {@code TollEvents} in order, as the transceivers' gateway
 * sends them, at once or in accelerated time; one that Kinesis cannot take (over its record
 * limit) is kept back, rejected by the producer.
 */
final class TollEventsInput {

    private static final Duration PACING_TICK = Duration.ofMillis(50);

    private final KinesisPublisher publisher;
    private volatile Instant newestEventSent;

    TollEventsInput(KinesisClient kinesis, String stream) {
        this.publisher = new KinesisPublisher(
                kinesis::putRecords,
                stream,
                KinesisPublisher.RetryPolicy.DEFAULT,
                duration -> Thread.sleep(duration.toMillis()),
                new Random());
    }

    void publish(List<Emission> emissions) throws InterruptedException {
        publisher.publish(emissions);
        Instant latestAcceptable =
                TollEventRules.latestAcceptableEventTime(Instant.now(), TollEventRules.DEFAULT_FUTURE_TOLERANCE);
        for (Emission emission : emissions) {
            if (TollJson.parseTollEvent(emission.data(), latestAcceptable) instanceof TollEventParseResult.Valid valid
                    && (newestEventSent == null || valid.event().eventTime().isAfter(newestEventSent))) {
                newestEventSent = valid.event().eventTime();
            }
        }
        if (publisher.stats().failed() > 0) {
            throw new IllegalStateException(
                    publisher.stats().failed() + " records could not be sent to Kinesis after every retry");
        }
    }

    /**
     * Sends records in accelerated time: each when the simulated clock, running {@code speed}
     * times faster than the wall clock from the first record's arrival, reaches its arrival.
     */
    void publishPaced(List<Emission> emissions, double speed) throws InterruptedException {
        if (emissions.isEmpty()) {
            return;
        }
        Instant first = emissions.get(0).arrival();
        long start = System.nanoTime();
        int next = 0;
        while (next < emissions.size()) {
            Instant simulatedNow = first.plusNanos((long) ((System.nanoTime() - start) * speed));
            int due = next;
            while (due < emissions.size() && !emissions.get(due).arrival().isAfter(simulatedNow)) {
                due++;
            }
            if (due > next) {
                publish(emissions.subList(next, due));
                next = due;
            } else {
                Thread.sleep(PACING_TICK.toMillis());
            }
        }
    }

    PublishStats stats() {
        return publisher.stats();
    }

    List<DeadLetter> rejected() {
        return publisher.rejected();
    }

    /** The latest event time among the valid passages sent so far. */
    Optional<Instant> newestEventSent() {
        return Optional.ofNullable(newestEventSent);
    }
}
