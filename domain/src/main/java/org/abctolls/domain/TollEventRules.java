package org.abctolls.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

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
        // JSON's \\uD800 escapes name half a character, which UTF-8 cannot carry: every such id would
        // reach the ledger and the warehouse as "?", one passage's key for another's.
        for (int i = 0; i < eventId.length(); i++) {
            char c = eventId.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < eventId.length()
                    && Character.isLowSurrogate(eventId.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of("must be Unicode text, but holds half of a surrogate pair (\\u"
                        + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> stationIdViolation(String stationId) {
        return letterAndDigitsViolation(stationId, 'S', 4);
    }

    public static Optional<String> transceiverIdViolation(String transceiverId) {
        return letterAndDigitsViolation(transceiverId, 'T', 7);
    }

    public static Optional<String> customerIdViolation(String customerId) {
        return letterAndDigitsViolation(customerId, 'C', 7);
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

    /**
     * The letter, then exactly {@code digits} ASCII digits. Checked character by character
     * rather than by a regular expression: every record is checked several times on its way
     * through the job (each time Flink rebuilds it between operators), and a matcher costs more
     * than the rest of the record's handling.
     */
    private static Optional<String> letterAndDigitsViolation(String value, char letter, int digits) {
        if (value == null) {
            return Optional.of("is required");
        }
        boolean matches =
                value.length() == 1 + digits && value.charAt(0) == letter && asciiDigits(value, 1, value.length());
        return matches
                ? Optional.empty()
                : Optional.of("must be " + letter + " followed by " + digits + " digits, was " + quote(value));
    }

    /** Whether {@code text} holds only ASCII digits from {@code from} to {@code to} (exclusive). */
    static boolean asciiDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> rangeViolation(long value, long min, long max) {
        if (value < min || value > max) {
            return Optional.of("must be between " + min + " and " + max + ", was " + value);
        }
        return Optional.empty();
    }
}
