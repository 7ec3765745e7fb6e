package org.abctolls.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every field rule of the toll event contract, each answering with the violation (what is
 * wrong, phrased to follow the field name) or empty. The JSON codec and the record
 * constructors share these, so a rule lives in exactly one place.
 */
public final class TollEventRules {

    public static final int MAX_EVENT_ID_LENGTH = 64;
    public static final int MIN_LANE_ID = 1;
    public static final int MAX_LANE_ID = 32;
    public static final int MIN_AMOUNT_CENTS = 0;
    public static final int MAX_AMOUNT_CENTS = 100_000;

    /** How far an event time may be ahead of the clock of the component reading it (contract section 1). */
    public static final Duration DEFAULT_FUTURE_TOLERANCE = Duration.ofMinutes(5);

    private static final Pattern STATION_ID = Pattern.compile("S[0-9]{4}");
    private static final Pattern TRANSCEIVER_ID = Pattern.compile("T[0-9]{7}");
    private static final Pattern CUSTOMER_ID = Pattern.compile("C[0-9]{7}");
    private static final int MAX_ECHOED_VALUE_LENGTH = 40;

    private TollEventRules() {}

    public static Optional<String> eventIdViolation(String eventId) {
        if (eventId == null) {
            return Optional.of("is required");
        }
        int length = eventId.codePointCount(0, eventId.length());
        if (length == 0) {
            return Optional.of("must not be empty");
        }
        if (length > MAX_EVENT_ID_LENGTH) {
            return Optional.of("must be at most " + MAX_EVENT_ID_LENGTH + " characters, was " + length);
        }
        return Optional.empty();
    }

    public static Optional<String> stationIdViolation(String stationId) {
        return patternViolation(stationId, STATION_ID, "S followed by 4 digits");
    }

    public static Optional<String> transceiverIdViolation(String transceiverId) {
        return patternViolation(transceiverId, TRANSCEIVER_ID, "T followed by 7 digits");
    }

    public static Optional<String> customerIdViolation(String customerId) {
        return patternViolation(customerId, CUSTOMER_ID, "C followed by 7 digits");
    }

    public static Optional<String> laneIdViolation(long laneId) {
        return rangeViolation(laneId, MIN_LANE_ID, MAX_LANE_ID);
    }

    public static Optional<String> amountCentsViolation(long amountCents) {
        return rangeViolation(amountCents, MIN_AMOUNT_CENTS, MAX_AMOUNT_CENTS);
    }

    public static Optional<String> eventTimeViolation(Instant eventTime) {
        if (eventTime == null) {
            return Optional.of("is required");
        }
        if (eventTime.getNano() % 1_000_000 != 0) {
            return Optional.of("must have at most millisecond precision, was " + eventTime);
        }
        return Optional.empty();
    }

    /**
     * An event stamped further ahead than the reader's clock allows: a transceiver or gateway
     * with a broken clock, which must never move the watermark.
     *
     * @param latestAcceptable the reading clock plus the tolerance
     */
    public static Optional<String> futureViolation(Instant eventTime, Instant latestAcceptable) {
        if (eventTime.isAfter(latestAcceptable)) {
            return Optional.of("must not be ahead of the reading clock by more than the tolerance, was " + eventTime
                    + " (latest acceptable " + latestAcceptable + ")");
        }
        return Optional.empty();
    }

    /** The latest event time a reader whose clock shows {@code readingClock} accepts. */
    public static Instant latestAcceptableEventTime(Instant readingClock, Duration futureTolerance) {
        return readingClock.plus(futureTolerance);
    }

    /** A value quoted for an error message, cut short so a huge bad field cannot flood a log. */
    static String quote(String value) {
        String shown =
                value.length() > MAX_ECHOED_VALUE_LENGTH ? value.substring(0, MAX_ECHOED_VALUE_LENGTH) + "..." : value;
        return '"' + shown + '"';
    }

    static void require(String field, Optional<String> violation) {
        violation.ifPresent(problem -> {
            throw new IllegalArgumentException(field + " " + problem);
        });
    }

    private static Optional<String> patternViolation(String value, Pattern pattern, String description) {
        if (value == null) {
            return Optional.of("is required");
        }
        if (!pattern.matcher(value).matches()) {
            return Optional.of("must be " + description + ", was " + quote(value));
        }
        return Optional.empty();
    }

    private static Optional<String> rangeViolation(long value, long min, long max) {
        if (value < min || value > max) {
            return Optional.of("must be between " + min + " and " + max + ", was " + value);
        }
        return Optional.empty();
    }
}
