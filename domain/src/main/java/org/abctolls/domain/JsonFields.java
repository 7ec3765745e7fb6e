package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The fields of one JSON object read as the contract types them, strictly (a field of the
 * wrong JSON type is a violation, never coerced), collecting a violation per bad field instead
 * of stopping at the first, so that a dead letter names everything wrong with its record. Also
 * how a record becomes that object: the one strict tree reader (a duplicate field, or content
 * after the record's value, is not JSON the contract accepts; a parser made from it refuses
 * duplicates, and leaves the content after the value to its caller), and {@link #readRecord} for the records this
 * pipeline writes, with the number rules their fields share.
 */
final class JsonFields {
    /** Resolved once: {@code ObjectMapper.readTree} resolves the tree type on every call (a tenth of parsing). */
    static final ObjectReader TREE_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(JsonNode.class);

    static final String EMPTY_RECORD = "not valid JSON: the record is empty";
    static final String NOT_JSON = "not valid JSON: ";

    private final JsonNode node;
    private final List<String> violations = new ArrayList<>();

    JsonFields(JsonNode node) {
        this.node = node;
    }

    /**
     * Reads a record this pipeline wrote: all fields first, so that every violation is named,
     * then {@code build} makes the record (it returns null when a field is missing or bad).
     *
     * @throws ContractViolationException naming every violation
     */
    static <T> T readRecord(String json, Function<JsonFields, T> build) {
        if (json.isBlank()) {
            throw new ContractViolationException(EMPTY_RECORD);
        }
        JsonFields fields;
        try {
            fields = new JsonFields(objectOf(TREE_READER.readTree(json)));
        } catch (JsonProcessingException e) {
            throw new ContractViolationException(NOT_JSON + e.getOriginalMessage());
        }
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

    static JsonNode objectOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new ContractViolationException("not a JSON object: the record must be one object");
        }
        return node;
    }

    static Optional<String> notNegative(long value) {
        return value < 0 ? Optional.of("must not be negative, was " + value) : Optional.empty();
    }

    static Optional<String> intNotNegative(long value) {
        return value > Integer.MAX_VALUE ? Optional.of("is out of range, was " + value) : notNegative(value);
    }

    boolean complete() {
        return violations.isEmpty();
    }

    /** Every violation found so far, in the order the fields were read. */
    String violations() {
        return String.join("; ", violations);
    }

    String text(String field, Function<String, Optional<String>> rule) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            return violation(field, "must be a string, was " + describe(value));
        }
        Optional<String> problem = rule.apply(value.textValue());
        return problem.isPresent() ? violation(field, problem.get()) : value.textValue();
    }

    /** A field that may be absent (or null); present, it must follow the rule. */
    String optionalText(String field, Function<String, Optional<String>> rule) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(field, rule);
    }

    Long integer(String field, LongFunction<Optional<String>> rule) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            return violation(field, "must be a whole number, was " + describe(value));
        }
        if (!value.canConvertToLong()) {
            return violation(field, "is out of range, was " + value.asText());
        }
        Optional<String> problem = rule.apply(value.longValue());
        return problem.isPresent() ? violation(field, problem.get()) : value.longValue();
    }

    VehicleClass vehicleClass(String field) {
        String name = text(field, text -> Optional.empty());
        if (name == null) {
            return null;
        }
        try {
            return VehicleClass.valueOf(name);
        } catch (IllegalArgumentException e) {
            return violation(
                    field, "must be one of " + List.of(VehicleClass.values()) + ", was " + TollEventRules.quote(name));
        }
    }

    Instant instant(String field) {
        return instant(field, value -> Optional.empty());
    }

    Instant instant(String field, Function<Instant, Optional<String>> rule) {
        String text = text(field, value -> Optional.empty());
        if (text == null) {
            return null;
        }
        if (!ContractInstant.matches(text)) {
            return violation(
                    field,
                    "must be an ISO-8601 UTC instant like 2026-11-18T14:03:07.250Z, was " + TollEventRules.quote(text));
        }
        Instant instant;
        try {
            instant = ContractInstant.parse(text);
        } catch (DateTimeException e) {
            return violation(field, "is not a real date and time, was " + TollEventRules.quote(text));
        }
        Optional<String> problem = rule.apply(instant);
        return problem.isPresent() ? violation(field, problem.get()) : instant;
    }

    YearMonth yearMonth(String field) {
        String text = text(field, value -> Optional.empty());
        if (text == null) {
            return null;
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            return violation(field, "must be a month like 2026-11, was " + TollEventRules.quote(text));
        }
    }

    void type(String expected) {
        text(
                "type",
                value -> expected.equals(value)
                        ? Optional.empty()
                        : Optional.of("must be " + expected + ", was " + TollEventRules.quote(value)));
    }

    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            violations.add(field + " is required");
            return null;
        }
        return value;
    }

    private <T> T violation(String field, String problem) {
        violations.add(field + " " + problem);
        return null;
    }

    private static String describe(JsonNode value) {
        String kind = value.getNodeType().name().toLowerCase(Locale.ROOT);
        return kind + " " + TollEventRules.quote(value.toString());
    }
}
