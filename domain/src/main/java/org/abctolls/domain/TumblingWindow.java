package org.abctolls.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A tumbling window {@code [start, end)} aligned to the epoch in UTC (contract section 3):
 * an event at exactly {@code end} belongs to the next window.
 */
public record TumblingWindow(Instant start, Instant end) {

    /** Customer billing windows: :00, :10, ... :50. */
    public static final Duration BILLING = Duration.ofMinutes(10);

    /** Station traffic windows: :00 and :30. */
    public static final Duration STATION = Duration.ofMinutes(30);

    /**
     * The contract's default out-of-orderness bound (section 5): a window closes when the
     * watermark, this far behind the largest event time seen, passes its end. As text for
     * command-line defaults, which must be constants.
     */
    public static final String DEFAULT_WATERMARK_BOUND_TEXT = "PT60S";

    public static final Duration DEFAULT_WATERMARK_BOUND = Duration.parse(DEFAULT_WATERMARK_BOUND_TEXT);

    public TumblingWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("window end " + end + " must be after its start " + start);
        }
    }

    /** The window of the given size that contains {@code instant}. */
    public static TumblingWindow containing(Instant instant, Duration size) {
        long sizeMillis = size.toMillis();
        if (sizeMillis <= 0) {
            throw new IllegalArgumentException("window size must be positive, was " + size);
        }
        long startMillis = startMillis(instant.toEpochMilli(), sizeMillis);
        return new TumblingWindow(Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(startMillis + sizeMillis));
    }

    /**
     * Checks that {@code [start, end)} is the epoch-aligned window of {@code size} that
     * contains {@code start}: a record naming any other span would be a window of its own (a
     * ledger key, an alert) that the job never makes.
     *
     * @throws IllegalArgumentException naming the window of {@code start}
     */
    public static void requireAligned(Instant start, Instant end, Duration size) {
        TumblingWindow window = containing(start, size);
        if (!window.start().equals(start) || !window.end().equals(end)) {
            throw new IllegalArgumentException("not a " + size.toMinutes() + "-minute window aligned to the epoch: "
                    + start + " to " + end + " (the window of its start is " + window.start() + " to " + window.end()
                    + ")");
        }
    }

    /**
     * In epoch milliseconds, the start of the window of {@code sizeMillis} that contains
     * {@code epochMillis}: for the job's operators, which judge every record by it.
     */
    public static long startMillis(long epochMillis, long sizeMillis) {
        return Math.floorDiv(epochMillis, sizeMillis) * sizeMillis;
    }

    public Duration size() {
        return Duration.between(start, end);
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public TumblingWindow next() {
        return new TumblingWindow(end, end.plus(size()));
    }
}
