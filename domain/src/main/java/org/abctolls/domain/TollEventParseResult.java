package org.abctolls.domain;

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
     * always kept (dead-lettered) with the raw text and the reason.
     */
    record Malformed(String raw, String reason) implements TollEventParseResult {
        public Malformed {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
