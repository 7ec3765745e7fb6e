package org.abctolls.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
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
 * of stopping at the first, so that a dead letter names everything wrong with its record.
 */
final class JsonFields {
    private final JsonNode node;
    private final List<String> violations = new ArrayList<>();

    JsonFields(JsonNode node) {
        this.node = node;
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
        if (!isContractInstant(text)) {
            return violation(
                    field,
                    "must be an ISO-8601 UTC instant like 2026-11-18T14:03:07.250Z, was " + TollEventRules.quote(text));
        }
        Instant instant;
        try {
            instant = contractInstant(text);
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

    /** ISO-8601 in UTC with a literal Z and at most millisecond precision: {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z}. */
    private static boolean isContractInstant(String text) {
        int length = text.length();
        boolean whole = length == 20;
        if (!whole
                && (length < 22
                        || length > 24
                        || text.charAt(19) != '.'
                        || !TollEventRules.asciiDigits(text, 20, length - 1))) {
            return false;
        }
        return TollEventRules.asciiDigits(text, 0, 4)
                && text.charAt(4) == '-'
                && TollEventRules.asciiDigits(text, 5, 7)
                && text.charAt(7) == '-'
                && TollEventRules.asciiDigits(text, 8, 10)
                && text.charAt(10) == 'T'
                && TollEventRules.asciiDigits(text, 11, 13)
                && text.charAt(13) == ':'
                && TollEventRules.asciiDigits(text, 14, 16)
                && text.charAt(16) == ':'
                && TollEventRules.asciiDigits(text, 17, 19)
                && text.charAt(length - 1) == 'Z';
    }

    /**
     * An instant of the contract's form, read from its digits: {@code Instant.parse} took 40%
     * of the time to parse a toll event. What {@link LocalDateTime#of} refuses (a leap second
     * is one) is left to {@code Instant.parse}, so the two agree on every text.
     *
     * @throws DateTimeException if the text names no real date and time
     */
    static Instant contractInstant(String text) {
        int millis = 0;
        for (int i = 20; i < 23; i++) {
            millis = millis * 10 + (i < text.length() - 1 ? text.charAt(i) - '0' : 0);
        }
        try {
            return LocalDateTime.of(
                            number(text, 0, 4),
                            number(text, 5, 7),
                            number(text, 8, 10),
                            number(text, 11, 13),
                            number(text, 14, 16),
                            number(text, 17, 19),
                            millis * 1_000_000)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return Instant.parse(text);
        }
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }
}
