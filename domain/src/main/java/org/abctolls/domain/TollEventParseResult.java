package org.abctolls.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** What became of one raw input record: a valid toll event, or a malformed record kept with its reason. */
public sealed interface TollEventParseResult {

    record Valid(TollEvent event) implements TollEventParseResult {
        public Valid {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A record that is not valid JSON or breaks a contract rule: never counted or billed,
     * always kept (dead-lettered) with the raw bytes and the reason.
     */
    record Malformed(byte[] raw, String reason) implements TollEventParseResult {
        public Malformed {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(reason, "reason");
        }

        Malformed(String raw, String reason) {
            this(raw.getBytes(StandardCharsets.UTF_8), reason);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Malformed that && Arrays.equals(raw, that.raw) && reason.equals(that.reason);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(raw) + reason.hashCode();
        }

        @Override
        public String toString() {
            return "Malformed[" + raw.length + " bytes, reason=" + reason + "]";
        }
    }
}
