package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A record the pipeline refused, kept with why (contract section 1): the reason, the raw
 * record's length and SHA-256, and the raw record itself, as text when it is UTF-8 and in
 * Base64 otherwise, plus where it came from ({@code context}, e.g. the stream and sequence
 * number).
 *
 * <p>{@link #toJson(int)} writes it as one JSON object of at most a given number of bytes,
 * the destination's record limit: where the whole record does not fit, the object carries
 * the longest prefix of the raw record that does, and {@code "truncated": true}; the length
 * and SHA-256 are always the whole record's. So a dead letter never fails for its size. The
 * JSON is pure ASCII (every other character escaped), so no destination can refuse a
 * character in it (SQS refuses some that UTF-8 allows, such as U+FFFE).
 */
public record DeadLetter(String reason, byte[] raw, Map<String, String> context) {

    /** Kinesis' record limit (data plus partition key). */
    public static final int KINESIS_RECORD_LIMIT = 1024 * 1024;

    /** Firehose's record limit: dead letters on a stream that a delivery stream archives must fit it. */
    public static final int FIREHOSE_RECORD_LIMIT = 1000 * 1024;

    /** SQS's message limit. */
    public static final int SQS_MESSAGE_LIMIT = 256 * 1024;

    /** Reasons quote at most a short piece of the record, but a reason is never allowed to crowd the record out. */
    static final int MAX_REASON_LENGTH = 1_000;

    private static final Set<String> OWN_FIELDS = Set.of("reason", "length", "sha256", "truncated", "raw", "rawBase64");

    private static final JsonMapper ASCII_JSON =
            JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    public DeadLetter {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(raw, "raw");
        if (reason.length() > MAX_REASON_LENGTH) {
            int end = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1))
                    ? MAX_REASON_LENGTH - 1
                    : MAX_REASON_LENGTH;
            reason = reason.substring(0, end) + "...";
        }
        context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
        for (String field : context.keySet()) {
            if (OWN_FIELDS.contains(field)) {
                throw new IllegalArgumentException(field + " is a dead letter's own field, not context");
            }
        }
    }

    public static DeadLetter of(byte[] raw, String reason) {
        return new DeadLetter(reason, raw, Map.of());
    }

    /** The raw record as text, if it is UTF-8. */
    public Optional<String> rawText() {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The dead letter as one JSON object of at most {@code maxBytes} bytes.
     *
     * @throws IllegalArgumentException if not even the reason and context fit
     */
    public String toJson(int maxBytes) {
        String sha256 = sha256();
        Optional<String> text = rawText();
        Fields fields = new Fields(sha256, text.orElse(null));
        byte[] whole = fields.write(fields.all(), false);
        if (whole.length <= maxBytes) {
            return new String(whole, StandardCharsets.US_ASCII);
        }
        // The longest prefix that fits: the size grows with the prefix, so a binary search finds it.
        int fits = -1;
        int low = 0;
        int high = fields.all() - 1;
        while (low <= high) {
            int candidate = (low + high) >>> 1;
            if (fields.write(candidate, true).length <= maxBytes) {
                fits = candidate;
                low = candidate + 1;
            } else {
                high = candidate - 1;
            }
        }
        if (fits < 0) {
            throw new IllegalArgumentException(
                    "a dead letter's reason and context alone exceed " + maxBytes + " bytes");
        }
        return new String(fields.write(fits, true), StandardCharsets.US_ASCII);
    }

    /** Writes the object with the first {@code units} of the raw record: characters of its text, or bytes. */
    private final class Fields {
        private final String sha256;
        private final String text;

        Fields(String sha256, String text) {
            this.sha256 = sha256;
            this.text = text;
        }

        int all() {
            return text != null ? text.length() : raw.length;
        }

        byte[] write(int units, boolean truncated) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator json = ASCII_JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("reason", reason);
                for (Map.Entry<String, String> field : context.entrySet()) {
                    json.writeStringField(field.getKey(), field.getValue());
                }
                json.writeNumberField("length", raw.length);
                json.writeStringField("sha256", sha256);
                json.writeBooleanField("truncated", truncated);
                if (text != null) {
                    // Never end a prefix between the two halves of a surrogate pair.
                    int end = units > 0 && units < text.length() && Character.isHighSurrogate(text.charAt(units - 1))
                            ? units - 1
                            : units;
                    json.writeStringField("raw", text.substring(0, end));
                } else {
                    json.writeStringField("rawBase64", Base64.getEncoder().encodeToString(Arrays.copyOf(raw, units)));
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter that
                && reason.equals(that.reason)
                && Arrays.equals(raw, that.raw)
                && context.equals(that.context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, Arrays.hashCode(raw), context);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + raw.length + " bytes, reason=" + reason + ", context=" + context + "]";
    }
}
