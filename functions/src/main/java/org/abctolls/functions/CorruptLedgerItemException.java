package org.abctolls.functions;

import java.util.Map;
import org.abctolls.domain.ContractViolationException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A ledger item that this pipeline could not have written (edited by hand, or by another
 * system). Retrying cannot mend it, so the record that met it is dead-lettered with this
 * message, and the shard goes on for every other customer; once the item is repaired, the
 * dead-lettered record can be sent again.
 */
final class CorruptLedgerItemException extends ContractViolationException {
    private static final long serialVersionUID = 1L;

    CorruptLedgerItemException(Map<String, AttributeValue> item, String problem) {
        super("ledger item " + keyOf(item) + " is corrupt: " + problem);
    }

    private static String keyOf(Map<String, AttributeValue> item) {
        return "(pk " + text(item.get("pk")) + ", sk " + text(item.get("sk")) + ")";
    }

    private static String text(AttributeValue value) {
        return value == null || value.s() == null ? "?" : value.s();
    }
}
