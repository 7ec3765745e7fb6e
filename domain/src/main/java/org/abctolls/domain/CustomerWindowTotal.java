package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's tolls in one 10-minute window (contract section 4). {@code revision} grows
 * each time the window is re-emitted because late passages arrived. A consumer applies the
 * newest total of a (customerId, windowStart) and ignores older or equal ones; newest means
 * the greatest pair (passages, revision) ({@link #isNewerThan}). The number of distinct
 * passages grows with the window's content, so the order holds even when a job restored from
 * a checkpoint re-emits a window with a different history of firings than the run before.
 *
 * <p>A passage that arrives after its window has closed for good (later than the job's
 * billing lateness) is billed alone, as a one-passage total carrying its
 * {@code latePassageEventId} (an optional field of the contract's record): its own
 * idempotency key, separate from the window's.
 */
public record CustomerWindowTotal(
        String customerId,
        Instant windowStart,
        Instant windowEnd,
        long totalCents,
        long passages,
        int revision,
        String latePassageEventId) {

    public CustomerWindowTotal {
        require("customerId", TollEventRules.customerIdViolation(customerId));
        Objects.requireNonNull(windowStart, "windowStart is required");
        Objects.requireNonNull(windowEnd, "windowEnd is required");
        TumblingWindow.requireAligned(windowStart, windowEnd, TumblingWindow.BILLING);
        requireNotNegative("totalCents", totalCents);
        if (passages < 1) {
            throw new IllegalArgumentException("passages must be at least 1, was " + passages);
        }
        requireNotNegative("revision", revision);
        if (passages <= Long.MAX_VALUE / TollEventRules.MAX_AMOUNT_CENTS
                && totalCents > passages * TollEventRules.MAX_AMOUNT_CENTS) {
            throw new IllegalArgumentException("totalCents " + totalCents + " is more than " + passages
                    + " passages can cost (" + TollEventRules.MAX_AMOUNT_CENTS + " cents each at most)");
        }
        if (latePassageEventId != null) {
            require("latePassageEventId", TollEventRules.eventIdViolation(latePassageEventId));
            if (passages != 1) {
                throw new IllegalArgumentException("a late passage's total has exactly 1 passage, was " + passages);
            }
        }
    }

    /** A window's total, as the 10-minute window emits it. */
    public CustomerWindowTotal(
            String customerId, Instant windowStart, Instant windowEnd, long totalCents, long passages, int revision) {
        this(customerId, windowStart, windowEnd, totalCents, passages, revision, null);
    }

    /** A passage billed alone because its billing window had closed for good before it arrived. */
    public static CustomerWindowTotal latePassage(TollEvent passage) {
        TumblingWindow window = TumblingWindow.containing(passage.eventTime(), TumblingWindow.BILLING);
        return new CustomerWindowTotal(
                passage.customerId(), window.start(), window.end(), passage.amountCents(), 1, 0, passage.eventId());
    }

    public Optional<String> latePassage() {
        return Optional.ofNullable(latePassageEventId);
    }

    /** Whether this total supersedes {@code (appliedPassages, appliedRevision)} of the same window. */
    public boolean isNewerThan(long appliedPassages, int appliedRevision) {
        return passages > appliedPassages || (passages == appliedPassages && revision > appliedRevision);
    }

    static void requireNotNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
    }
}
