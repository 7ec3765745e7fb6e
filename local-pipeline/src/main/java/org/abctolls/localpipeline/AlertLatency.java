package org.abctolls.localpipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * reads the first record whose event time is at least {@code end + bound} (the watermark
 * trails the largest event time by the bound), or when the input ends. That instant is taken
 * as the record's arrival on the input stream (Kinesis' ApproximateArrivalTimestamp), so the
 * figure also includes the job's read delay: it is an upper bound of the pipeline's own latency.
 * The alert's arrival is the SentTimestamp of the message in the subscribed queue.
 */
public final class AlertLatency {

    /** The percentiles of a set of latencies. */
    public record Summary(int alerts, Duration p50, Duration p99, Duration max) {
        @Override
        public String toString() {
            return alerts == 0
                    ? "no alerts"
                    : String.format(
                            "%d alerts: p50 %.1f s, p99 %.1f s, max %.1f s",
                            alerts, seconds(p50), seconds(p99), seconds(max));
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
        // The job read every record before the end of input: what it rejected as stamped ahead of
        // its clock, it rejected against a clock no later than this.
        Instant latestAcceptable =
                TollEventRules.latestAcceptableEventTime(endOfInput, TollEventRules.DEFAULT_FUTURE_TOLERANCE);
        for (Record record : inputInArrivalOrder) {
            if (TollJson.parseTollEvent(record.data().asByteArrayUnsafe(), latestAcceptable)
                            instanceof TollEventParseResult.Valid valid
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
        latencies.sort(null);
        if (latencies.isEmpty()) {
            return new Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        return new Summary(
                latencies.size(),
                percentile(latencies, 50),
                percentile(latencies, 99),
                latencies.get(latencies.size() - 1));
    }

    /** Nearest-rank percentile. */
    private static Duration percentile(List<Duration> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
