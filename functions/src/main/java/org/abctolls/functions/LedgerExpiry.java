package org.abctolls.functions;

import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * When a ledger item expires (the table's time to live): 35 days after its window, or after it
 * was written when that is later. A passage billed alone, or a replay of old windows, may come
 * long after its window, and an item written already expired would be deleted at once.
 */
final class LedgerExpiry {

    private static final Duration KEEP = Duration.ofDays(35);

    private LedgerExpiry() {}

    /** The {@code expiresAt} attribute, in epoch seconds. */
    static AttributeValue expiresAt(Instant windowEnd, Instant now) {
        Instant keptFrom = windowEnd.isAfter(now) ? windowEnd : now;
        return AttributeValue.fromN(Long.toString(keptFrom.plus(KEEP).getEpochSecond()));
    }
}
