package org.abctolls.analytics;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;

/**
 * One record of the input stream as the job reads it: a valid passage, or a rejected record
 * with its raw bytes and the reason (contract section 1). Parsed once, where it is read, so
 * that the watermark generators see only valid passages. Public, with fields Flink can
 * serialize as a POJO.
 *
 * @param passage the passage, or null for a rejected record
 * @param rejectedRaw a rejected record's bytes as they came, or null for a passage
 * @param rejection why the record was rejected, or null for a passage
 */
public record InputRecord(TollEvent passage, byte[] rejectedRaw, String rejection) {

    public InputRecord {
        if ((passage == null) == (rejection == null) || (rejection == null) != (rejectedRaw == null)) {
            throw new IllegalArgumentException(
                    "an input record is either a passage or a rejected record with its reason");
        }
    }

    /** Reads a raw record; an event time after {@code latestAcceptable} makes it malformed. */
    public static InputRecord read(byte[] raw, Instant latestAcceptable) {
        TollEventParseResult parsed = TollJson.parseTollEvent(raw, latestAcceptable);
        if (parsed instanceof TollEventParseResult.Valid valid) {
            return new InputRecord(valid.event(), null, null);
        }
        TollEventParseResult.Malformed malformed = (TollEventParseResult.Malformed) parsed;
        return new InputRecord(null, malformed.raw(), malformed.reason());
    }

    public boolean isPassage() {
        return passage != null;
    }

    /** A rejected record as the dead letter that keeps it. */
    public DeadLetter deadLetter() {
        return DeadLetter.of(Objects.requireNonNull(rejectedRaw, "a passage is not a dead letter"), rejection);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InputRecord that
                && Objects.equals(passage, that.passage)
                && Arrays.equals(rejectedRaw, that.rejectedRaw)
                && Objects.equals(rejection, that.rejection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(passage, Arrays.hashCode(rejectedRaw), rejection);
    }

    @Override
    public String toString() {
        return isPassage() ? "InputRecord[" + passage + "]" : "InputRecord[rejected: " + rejection + "]";
    }
}
