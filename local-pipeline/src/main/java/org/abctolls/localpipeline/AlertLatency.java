package org.abctolls.localpipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.abctolls.localkit.TopicQueues;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * How long an alert takes from its window's close to its arrival in the subscriber's queue.
 *
 * <p>A window {@code [start, end)} closes when the watermark passes its end, that is, when the job
 * reads the first passage whose event time is at least {@code end + bound} (the watermark
 * trails the largest event time of the passages by the bound; a re-sent event id is not one),
 * or when the input ends. That instant is taken
 * as the record's arrival on the input stream (Kinesis' ApproximateArrivalTimestamp), so the
 * figure also includes the job's read delay: it is an upper bound of the pipeline's own latency.
 * The alert's arrival is the SentTimestamp of the message in the subscribed queue.
 */
public final class AlertLatency {

    /** The percentiles of a set of latencies. */
    public record Summary(int alerts, Duration p50, Duration p99, Duration max) {

        /** The nearest-rank percentiles of some latencies. */
        public static Summary of(List<Duration> latencies) {
            List<Duration> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            if (sorted.isEmpty()) {
                return new Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
            }
            return new Summary(
                    sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
        }

        @Override
        public String toString() {
            return describe("alerts");
        }

        /** For example "12 alerts: p50 1.2 s, p99 3.4 s, max 3.5 s". */
        public String describe(String what) {
            return alerts == 0
                    ? "no " + what
                    : String.format(
                            "%d %s: p50 %.1f s, p99 %.1f s, max %.1f s",
                            alerts, what, seconds(p50), seconds(p99), seconds(max));
        }

        private static double seconds(Duration duration) {
            return duration.toMillis() / 1000.0;
        }
    }

    private final TreeMap<Instant, Instant> arrivalByEventTimeReached = new TreeMap<>();
    private final Duration bound;
    private final Instant endOfInput;

    /**
     * @param inputInArrivalOrder the records of the input stream, in the order the job reads them
     * @param bound the job's out-of-orderness bound
     * @param endOfInput when the input ended (the drain closed every window still open)
     */
    public AlertLatency(List<Record> inputInArrivalOrder, Duration bound, Instant endOfInput) {
        this.bound = bound;
        this.endOfInput = endOfInput;
        Instant largest = Instant.MIN;
        Set<String> seen = new HashSet<>();
        // The job read every record before the end of input: what it rejected as stamped ahead of
        // its clock, it rejected against a clock no later than this.
        Instant latestAcceptable =
                TollEventRules.latestAcceptableEventTime(endOfInput, TollEventRules.DEFAULT_FUTURE_TOLERANCE);
        for (Record record : inputInArrivalOrder) {
            if (TollJson.parseTollEvent(record.data().asByteArrayUnsafe(), latestAcceptable)
                            instanceof TollEventParseResult.Valid valid
                    && seen.add(valid.event().eventId())
                    && valid.event().eventTime().isAfter(largest)) {
                largest = valid.event().eventTime();
                arrivalByEventTimeReached.put(largest, record.approximateArrivalTimestamp());
            }
        }
    }

    /** When the window ending at {@code windowEnd} closed. */
    public Instant closeOf(Instant windowEnd) {
        var first = arrivalByEventTimeReached.ceilingEntry(windowEnd.plus(bound));
        return first == null || first.getValue().isAfter(endOfInput) ? endOfInput : first.getValue();
    }

    /** The latencies of the alerts received, each alert's window end read from its message by {@code windowEnd}. */
    public Summary summarize(List<TopicQueues.Received> alerts, Function<String, Instant> windowEnd) {
        List<Duration> latencies = new ArrayList<>();
        for (TopicQueues.Received alert : alerts) {
            latencies.add(Duration.between(closeOf(windowEnd.apply(alert.body())), alert.sentAt()));
        }
        return Summary.of(latencies);
    }

    /** Nearest-rank percentile. */
    private static Duration percentile(List<Duration> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /**
     * From a record's arrival on {@code TollEvents} (its first sighting) to the moment its
     * passage was queryable in the warehouse.
     */
    static Summary toWarehouse(List<Record> input, LocalWarehouse.Output loaded) {
        Map<String, Instant> firstArrival = new HashMap<>();
        for (Record record : input) {
            if (TollJson.parseTollEvent(record.data().asByteArrayUnsafe(), Instant.MAX)
                    instanceof TollEventParseResult.Valid valid) {
                firstArrival.putIfAbsent(valid.event().eventId(), record.approximateArrivalTimestamp());
            }
        }
        List<Duration> latencies = new ArrayList<>();
        loaded.loadedAt().forEach((eventId, queryable) -> Optional.ofNullable(firstArrival.get(eventId))
                .ifPresent(arrival -> latencies.add(Duration.between(arrival, queryable))));
        return Summary.of(latencies);
    }
}
