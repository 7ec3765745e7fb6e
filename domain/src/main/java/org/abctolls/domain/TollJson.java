package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;

/**
 * The one JSON codec of the contract (UTF-8, one object per record). It writes exactly the
 * contract's fields in the contract's order, and reads them strictly: a field of the wrong
 * JSON type is a violation, not something to coerce. Unknown fields are ignored, because
 * producers may add optional fields.
 *
 * <p>Toll events come from outside and are parsed into a {@link TollEventParseResult} that
 * names every violation. The output records are written by this pipeline; reading one that
 * breaks the contract throws a {@link ContractViolationException} with the reason.
 */
public final class TollJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TollJson() {}

    // --- toll events (untrusted input) ---------------------------------------------------

    /**
     * Parses a raw record as UTF-8; bytes that are not UTF-8 make it malformed, and so does an
     * event time after {@code latestAcceptable} (the reading clock plus the tolerance, see
     * {@link TollEventRules#latestAcceptableEventTime}).
     */
    public static TollEventParseResult parseTollEvent(byte[] raw, Instant latestAcceptable) {
        Object parsed;
        if (isAsciiWithoutNulAndNotBlank(raw)) {
            // ASCII is UTF-8 as it stands, and Jackson reads the bytes without a String between.
            // Without a NUL or a byte above 127, Jackson cannot take the bytes for UTF-16 or 32.
            TollEvent event = OnePassTollEvent.read(raw, latestAcceptable);
            if (event != null) {
                return new TollEventParseResult.Valid(event);
            }
            // Read as text, so that the reason is in the same words as for the same record read
            // as text: Jackson's parsers of bytes and of text word some syntax errors differently.
            parsed = parse(new String(raw, StandardCharsets.US_ASCII), latestAcceptable);
        } else {
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw))
                        .toString();
            } catch (CharacterCodingException e) {
                return new TollEventParseResult.Malformed(raw, "not valid UTF-8: " + e.getMessage());
            }
            parsed = parse(text, latestAcceptable);
        }
        return parsed instanceof TollEvent event
                ? new TollEventParseResult.Valid(event)
                : new TollEventParseResult.Malformed(raw, (String) parsed);
    }

    /** As {@link #parseTollEvent(byte[], Instant)}, for a record already read as text. */
    public static TollEventParseResult parseTollEvent(String raw, Instant latestAcceptable) {
        TollEvent event = OnePassTollEvent.read(raw, latestAcceptable);
        return event != null ? new TollEventParseResult.Valid(event) : parseAsTree(raw, latestAcceptable);
    }

    /**
     * The record read as a tree, which names every violation: what {@link OnePassTollEvent}
     * leaves to it, and what it must agree with on every record it accepts.
     */
    static TollEventParseResult parseAsTree(String raw, Instant latestAcceptable) {
        Object parsed = parse(raw, latestAcceptable);
        return parsed instanceof TollEvent event
                ? new TollEventParseResult.Valid(event)
                : new TollEventParseResult.Malformed(raw, (String) parsed);
    }

    private static boolean isAsciiWithoutNulAndNotBlank(byte[] raw) {
        boolean blank = true;
        for (byte b : raw) {
            if (b <= 0) {
                return false;
            }
            blank &= Character.isWhitespace(b);
        }
        return !blank;
    }

    /** The event, or the reason it is malformed. */
    private static Object parse(String raw, Instant latestAcceptable) {
        if (raw.isBlank()) {
            return JsonFields.EMPTY_RECORD;
        }
        JsonNode node;
        try {
            node = JsonFields.objectOf(JsonFields.TREE_READER.readTree(raw));
        } catch (JsonProcessingException e) {
            return JsonFields.NOT_JSON + e.getOriginalMessage();
        } catch (ContractViolationException e) {
            return e.getMessage();
        }
        JsonFields fields = new JsonFields(node);
        String eventId = fields.text("eventId", TollEventRules::eventIdViolation);
        String stationId = fields.text("stationId", TollEventRules::stationIdViolation);
        Long laneId = fields.integer("laneId", TollEventRules::laneIdViolation);
        String transceiverId = fields.text("transceiverId", TollEventRules::transceiverIdViolation);
        String customerId = fields.text("customerId", TollEventRules::customerIdViolation);
        VehicleClass vehicleClass = fields.vehicleClass("vehicleClass");
        Long amountCents = fields.integer("amountCents", TollEventRules::amountCentsViolation);
        Instant eventTime = fields.instant("eventTime", time -> TollEventRules.futureViolation(time, latestAcceptable));
        if (!fields.complete()) {
            return fields.violations();
        }
        return new TollEvent(
                eventId,
                stationId,
                laneId.intValue(),
                transceiverId,
                customerId,
                vehicleClass,
                amountCents.intValue(),
                eventTime);
    }

    public static String write(TollEvent event) {
        ObjectNode node = NODES.objectNode()
                .put("eventId", event.eventId())
                .put("stationId", event.stationId())
                .put("laneId", event.laneId())
                .put("transceiverId", event.transceiverId())
                .put("customerId", event.customerId())
                .put("vehicleClass", event.vehicleClass().name())
                .put("amountCents", event.amountCents())
                .put("eventTime", event.eventTime().toString());
        return node.toString();
    }

    // --- output records (written by this pipeline) ---------------------------------------

    public static String write(CustomerWindowTotal total) {
        ObjectNode node = NODES.objectNode()
                .put("customerId", total.customerId())
                .put("windowStart", total.windowStart().toString())
                .put("windowEnd", total.windowEnd().toString())
                .put("totalCents", total.totalCents())
                .put("passages", total.passages())
                .put("revision", total.revision());
        total.latePassage().ifPresent(eventId -> node.put("latePassageEventId", eventId));
        return node.toString();
    }

    public static CustomerWindowTotal readCustomerWindowTotal(String json) {
        return JsonFields.readRecord(json, fields -> {
            String customerId = fields.text("customerId", TollEventRules::customerIdViolation);
            Instant windowStart = fields.instant("windowStart");
            Instant windowEnd = fields.instant("windowEnd");
            Long totalCents = fields.integer("totalCents", JsonFields::notNegative);
            Long passages = fields.integer("passages", JsonFields::notNegative);
            Long revision = fields.integer("revision", JsonFields::intNotNegative);
            String latePassageEventId = fields.optionalText("latePassageEventId", TollEventRules::eventIdViolation);
            return fields.complete()
                    ? new CustomerWindowTotal(
                            customerId,
                            windowStart,
                            windowEnd,
                            totalCents,
                            passages,
                            revision.intValue(),
                            latePassageEventId)
                    : null;
        });
    }

    public static String write(BillingThresholdAlert alert) {
        return NODES.objectNode()
                .put("type", BillingThresholdAlert.TYPE)
                .put("customerId", alert.customerId())
                .put("month", alert.month().toString())
                .put("thresholdCents", alert.thresholdCents())
                .put("monthToDateCents", alert.monthToDateCents())
                .put("crossedInWindowEnd", alert.crossedInWindowEnd().toString())
                .toString();
    }

    public static BillingThresholdAlert readBillingThresholdAlert(String json) {
        return JsonFields.readRecord(json, fields -> {
            fields.type(BillingThresholdAlert.TYPE);
            String customerId = fields.text("customerId", TollEventRules::customerIdViolation);
            YearMonth month = fields.yearMonth("month");
            Long thresholdCents = fields.integer("thresholdCents", JsonFields::notNegative);
            Long monthToDateCents = fields.integer("monthToDateCents", JsonFields::notNegative);
            Instant crossedInWindowEnd = fields.instant("crossedInWindowEnd");
            return fields.complete()
                    ? new BillingThresholdAlert(customerId, month, thresholdCents, monthToDateCents, crossedInWindowEnd)
                    : null;
        });
    }

    public static String write(LowTrafficAlert alert) {
        return NODES.objectNode()
                .put("type", LowTrafficAlert.TYPE)
                .put("stationId", alert.stationId())
                .put("windowStart", alert.windowStart().toString())
                .put("windowEnd", alert.windowEnd().toString())
                .put("vehicles", alert.vehicles())
                .put("minVehicles", alert.minVehicles())
                .toString();
    }

    public static LowTrafficAlert readLowTrafficAlert(String json) {
        return JsonFields.readRecord(json, fields -> {
            fields.type(LowTrafficAlert.TYPE);
            String stationId = fields.text("stationId", TollEventRules::stationIdViolation);
            Instant windowStart = fields.instant("windowStart");
            Instant windowEnd = fields.instant("windowEnd");
            Long vehicles = fields.integer("vehicles", JsonFields::notNegative);
            Long minVehicles = fields.integer("minVehicles", JsonFields::notNegative);
            return fields.complete()
                    ? new LowTrafficAlert(stationId, windowStart, windowEnd, vehicles, minVehicles)
                    : null;
        });
    }
}
