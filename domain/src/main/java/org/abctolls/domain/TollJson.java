package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.Function;

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

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Resolved once: {@code ObjectMapper.readTree} resolves the tree type on every call (a tenth of parsing). */
    private static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

    private static final String EMPTY_RECORD = "not valid JSON: the record is empty";
    private static final String NOT_JSON = "not valid JSON: ";

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
            parsed = parse(() -> TREE_READER.readTree(raw), latestAcceptable);
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

    private static Object parse(String raw, Instant latestAcceptable) {
        if (raw.isBlank()) {
            return EMPTY_RECORD;
        }
        return parse(() -> TREE_READER.readTree(raw), latestAcceptable);
    }

    /** The event, or the reason it is malformed. */
    private static Object parse(JsonSource source, Instant latestAcceptable) {
        JsonNode node;
        try {
            node = objectOf(source.read());
        } catch (JsonProcessingException e) {
            return NOT_JSON + e.getOriginalMessage();
        } catch (ContractViolationException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException("reading a record held in memory", e);
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
        ObjectNode node = MAPPER.createObjectNode()
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
        ObjectNode node = MAPPER.createObjectNode()
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
        return readRecord(json, fields -> {
            String customerId = fields.text("customerId", TollEventRules::customerIdViolation);
            Instant windowStart = fields.instant("windowStart");
            Instant windowEnd = fields.instant("windowEnd");
            Long totalCents = fields.integer("totalCents", TollJson::notNegative);
            Long passages = fields.integer("passages", TollJson::notNegative);
            Long revision = fields.integer("revision", TollJson::intNotNegative);
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
        return MAPPER.createObjectNode()
                .put("type", BillingThresholdAlert.TYPE)
                .put("customerId", alert.customerId())
                .put("month", alert.month().toString())
                .put("thresholdCents", alert.thresholdCents())
                .put("monthToDateCents", alert.monthToDateCents())
                .put("crossedInWindowEnd", alert.crossedInWindowEnd().toString())
                .toString();
    }

    public static BillingThresholdAlert readBillingThresholdAlert(String json) {
        return readRecord(json, fields -> {
            fields.type(BillingThresholdAlert.TYPE);
            String customerId = fields.text("customerId", TollEventRules::customerIdViolation);
            YearMonth month = fields.yearMonth("month");
            Long thresholdCents = fields.integer("thresholdCents", TollJson::notNegative);
            Long monthToDateCents = fields.integer("monthToDateCents", TollJson::notNegative);
            Instant crossedInWindowEnd = fields.instant("crossedInWindowEnd");
            return fields.complete()
                    ? new BillingThresholdAlert(customerId, month, thresholdCents, monthToDateCents, crossedInWindowEnd)
                    : null;
        });
    }

    public static String write(LowTrafficAlert alert) {
        return MAPPER.createObjectNode()
                .put("type", LowTrafficAlert.TYPE)
                .put("stationId", alert.stationId())
                .put("windowStart", alert.windowStart().toString())
                .put("windowEnd", alert.windowEnd().toString())
                .put("vehicles", alert.vehicles())
                .put("minVehicles", alert.minVehicles())
                .toString();
    }

    public static LowTrafficAlert readLowTrafficAlert(String json) {
        return readRecord(json, fields -> {
            fields.type(LowTrafficAlert.TYPE);
            String stationId = fields.text("stationId", TollEventRules::stationIdViolation);
            Instant windowStart = fields.instant("windowStart");
            Instant windowEnd = fields.instant("windowEnd");
            Long vehicles = fields.integer("vehicles", TollJson::notNegative);
            Long minVehicles = fields.integer("minVehicles", TollJson::notNegative);
            return fields.complete()
                    ? new LowTrafficAlert(stationId, windowStart, windowEnd, vehicles, minVehicles)
                    : null;
        });
    }

    // --- reading helpers -----------------------------------------------------------------

    private static JsonNode readTree(String raw) {
        if (raw.isBlank()) {
            throw new ContractViolationException(EMPTY_RECORD);
        }
        try {
            return objectOf(TREE_READER.readTree(raw));
        } catch (JsonProcessingException e) {
            throw new ContractViolationException(NOT_JSON + e.getOriginalMessage());
        }
    }

    private static JsonNode objectOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ContractViolationException("not a JSON object: the record must be one object");
        }
        return node;
    }

    /** A tree read from a record's text or bytes. */
    @FunctionalInterface
    private interface JsonSource {
        JsonNode read() throws IOException;
    }

    /** Reads all fields first, so that every violation is named, then builds the record. */
    private static <T> T readRecord(String json, Function<JsonFields, T> build) {
        JsonFields fields = new JsonFields(readTree(json));
        try {
            T value = build.apply(fields);
            if (!fields.complete()) {
                throw new ContractViolationException(fields.violations());
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new ContractViolationException(e.getMessage());
        }
    }

    private static Optional<String> notNegative(long value) {
        return value < 0 ? Optional.of("must not be negative, was " + value) : Optional.empty();
    }

    private static Optional<String> intNotNegative(long value) {
        return value > Integer.MAX_VALUE ? Optional.of("is out of range, was " + value) : notNegative(value);
    }
}
