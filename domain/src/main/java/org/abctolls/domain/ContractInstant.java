package org.abctolls.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The contract's form of an instant, checked and read without a general-purpose parser. */
final class ContractInstant {

    private ContractInstant() {}

    /** ISO-8601 in UTC with a literal Z and at most millisecond precision: {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z}. */
    static boolean matches(String text) {
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
     * An instant of the contract's form, read from its digits ({@code Instant.parse} took 40% of
     * the time to parse a toll event). Hour 24 and a 60th second, which {@code Instant.parse}
     * takes as the next midnight and as a smoothed leap second, are not read: RFC 3339 (the
     * profile of ISO 8601 that JSON readers follow) has no hour 24, an instant has no leap
     * seconds, and Python's datetime refuses both (JavaScript's Date.parse a 60th second), so a
     * record such a reader would reject is malformed here as well.
     *
     * @throws DateTimeException if the text names no real date and time
     */
    static Instant parse(String text) {
        int millis = 0;
        for (int i = 20; i < 23; i++) {
            millis = millis * 10 + (i < text.length() - 1 ? text.charAt(i) - '0' : 0);
        }
        return LocalDateTime.of(
                        number(text, 0, 4),
                        number(text, 5, 7),
                        number(text, 8, 10),
                        number(text, 11, 13),
                        number(text, 14, 16),
                        number(text, 17, 19),
                        millis * 1_000_000)
                .toInstant(ZoneOffset.UTC);
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + text.charAt(i) - '0';
        }
        return value;
    }
}
