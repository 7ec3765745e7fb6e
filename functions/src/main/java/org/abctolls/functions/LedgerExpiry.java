package org.abctolls.functions;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * When a ledger item expires (the table's time to live): {@code kept} after its window, or after
 * it was written when that is later. A passage billed alone, or a replay of old windows, may come
 * long after its window, and an item written already expired would be deleted at once. A window's
 * entry must outlive every time its total can come again, or the total is billed twice: the
 * stack keeps it for as long as the streams can bring the window back
 * ({@code PipelineSettings.ledgerEntriesKept}).
 *
 * @param kept {@code LEDGER_ENTRIES_KEPT}, an ISO-8601 duration
 */
record LedgerExpiry(Duration kept) {

    LedgerExpiry {
        Objects.requireNonNull(kept, "kept");
        if (kept.isNegative() || kept.isZero()) {
            throw new IllegalArgumentException("ledger entries must be kept for a positive duration, was " + kept);
        }
    }

    /** The {@code expiresAt} attribute, in epoch seconds. */
    AttributeValue expiresAt(Instant windowEnd, Instant now) {
        Instant keptFrom = windowEnd.isAfter(now) ? windowEnd : now;
        return AttributeValue.fromN(Long.toString(keptFrom.plus(kept).getEpochSecond()));
    }
}
