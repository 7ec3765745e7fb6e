package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * A toll event read in one pass over its tokens, without building a tree: the common case, a
 * record that keeps every rule. It judges nothing else. A parse error, a field missing, null,
 * repeated or of another type, a broken rule: for each it answers null, and {@link TollJson}
 * reads the record again as a tree, which names every violation. So every verdict and reason
 * stays the tree's, and only a valid record gets cheaper: reading a record into a tree was five
 * sixths of parsing it (JFR of {@code bench/analytics-throughput.sh}), and the one pass reads
 * the same tokens but builds nothing from them.
 */
final class OnePassTollEvent {

    /**
     * A record no longer than Jackson's longest string cannot hold a longer one: the tree
     * refuses such a string, and this reading, which skips unknown fields unread, would not.
     */
    private static final int LONGEST_RECORD =
            JsonFields.TREE_READER.getFactory().streamReadConstraints().getMaxStringLength();

    private OnePassTollEvent() {}

    /** The event, or null if the record is not one object whose fields all keep the contract. */
    static TollEvent read(byte[] raw, Instant latestAcceptable) {
        if (raw.length > LONGEST_RECORD) {
            return null;
        }
        try {
            return read(JsonFields.TREE_READER.createParser(raw), latestAcceptable);
        } catch (IOException e) {
            return null;
        }
    }

    /** As {@link #read(byte[], Instant)}, for a record already read as text. */
    static TollEvent read(String raw, Instant latestAcceptable) {
        if (raw.length() > LONGEST_RECORD) {
            return null;
        }
        try {
            return read(JsonFields.TREE_READER.createParser(raw), latestAcceptable);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * @param parser with the tree reader's features: a repeated field is an error, so each field
     *     is read at most once, and a field of another type (read as null) stays missing
     */
    private static TollEvent read(JsonParser parser, Instant latestAcceptable) {
        try (parser) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String eventId = null;
            String stationId = null;
            Integer laneId = null;
            String transceiverId = null;
            String customerId = null;
            String vehicleClass = null;
            Integer amountCents = null;
            String eventTime = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "eventId" -> eventId = text(parser);
                    case "stationId" -> stationId = text(parser);
                    case "laneId" -> laneId = integer(parser);
                    case "transceiverId" -> transceiverId = text(parser);
                    case "customerId" -> customerId = text(parser);
                    case "vehicleClass" -> vehicleClass = text(parser);
                    case "amountCents" -> amountCents = integer(parser);
                    case "eventTime" -> eventTime = text(parser);
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT
                    || parser.nextToken() != null
                    || laneId == null
                    || amountCents == null
                    || vehicleClass == null
                    || eventTime == null
                    || !ContractInstant.matches(eventTime)) {
                return null;
            }
            Instant time = ContractInstant.parse(eventTime);
            if (TollEventRules.futureViolation(time, latestAcceptable).isPresent()) {
                return null;
            }
            // The record's constructor checks every other rule, as the tree's reading does.
            return new TollEvent(
                    eventId,
                    stationId,
                    laneId,
                    transceiverId,
                    customerId,
                    VehicleClass.valueOf(vehicleClass),
                    amountCents,
                    time);
        } catch (IOException | IllegalArgumentException | DateTimeException e) {
            return null;
        }
    }

    /** The current value if it is a string, else null (its content skipped). */
    private static String text(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    /**
     * The current value if it is an int as Jackson reads it, else null (its content skipped): a
     * wider number is out of every range, and left to the tree.
     */
    private static Integer integer(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() == JsonParser.NumberType.INT) {
            return parser.getIntValue();
        }
        parser.skipChildren();
        return null;
    }
}
