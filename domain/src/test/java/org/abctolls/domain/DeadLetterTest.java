package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void keepsAUtf8RecordAsTextWithItsReasonLengthAndDigest() throws Exception {
        byte[] raw = "not json".getBytes(StandardCharsets.UTF_8);

        JsonNode letter = read(DeadLetter.of(raw, "not valid JSON").toJson(DeadLetter.KINESIS_RECORD_LIMIT));

        assertThat(letter.get("reason").asText()).isEqualTo("not valid JSON");
        assertThat(letter.get("length").asLong()).isEqualTo(8);
        assertThat(letter.get("sha256").asText()).isEqualTo(sha256(raw));
        assertThat(letter.get("truncated").asBoolean()).isFalse();
        assertThat(letter.get("raw").asText()).isEqualTo("not json");
        assertThat(letter.has("rawBase64")).isFalse();
    }

    @Test
    void keepsBytesThatAreNotUtf8InBase64() throws Exception {
        byte[] raw = {'{', (byte) 0xC3, (byte) 0x28, '}'};

        JsonNode letter = read(DeadLetter.of(raw, "not valid UTF-8").toJson(DeadLetter.KINESIS_RECORD_LIMIT));

        assertThat(Base64.getDecoder().decode(letter.get("rawBase64").asText())).isEqualTo(raw);
        assertThat(letter.has("raw")).isFalse();
    }

    /** 200,000 control characters escape to 1.2 MB of JSON: more than a Kinesis record may hold. */
    @Test
    void aRecordWhoseEscapedTextExceedsTheLimitIsCutToTheLongestPrefixThatFits() throws Exception {
        byte[] raw = "\u0001".repeat(200_000).getBytes(StandardCharsets.UTF_8);

        String json = DeadLetter.of(raw, "not valid JSON").toJson(DeadLetter.KINESIS_RECORD_LIMIT);

        assertThat(json.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(DeadLetter.KINESIS_RECORD_LIMIT)
                .isGreaterThan(DeadLetter.KINESIS_RECORD_LIMIT - 6);
        JsonNode letter = read(json);
        assertThat(letter.get("truncated").asBoolean()).isTrue();
        assertThat(letter.get("length").asLong()).isEqualTo(200_000);
        assertThat(letter.get("sha256").asText()).isEqualTo(sha256(raw));
        assertThat(new String(raw, StandardCharsets.UTF_8))
                .startsWith(letter.get("raw").asText());
    }

    @Test
    void aBinaryRecordOverAnSqsMessageIsCutInWholeBytes() throws Exception {
        byte[] raw = new byte[400_000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (0x80 | i);
        }

        String json = DeadLetter.of(raw, "not valid UTF-8").toJson(DeadLetter.SQS_MESSAGE_LIMIT);

        assertThat(json.length()).isLessThanOrEqualTo(DeadLetter.SQS_MESSAGE_LIMIT);
        byte[] kept = Base64.getDecoder().decode(read(json).get("rawBase64").asText());
        assertThat(kept).hasSizeGreaterThan(190_000);
        assertThat(raw).startsWith(kept);
    }

    @Test
    void writesOnlyAsciiSoThatNoDestinationRefusesACharacter() throws Exception {
        String text = "Zürich \uFFFE \uD83D\uDE97";

        String json = DeadLetter.of(text.getBytes(StandardCharsets.UTF_8), "stationId must be S followed by 4 digits")
                .toJson(DeadLetter.SQS_MESSAGE_LIMIT);

        assertThat(json.chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
        assertThat(read(json).get("raw").asText()).isEqualTo(text);
    }

    @Test
    void neverCutsBetweenTheHalvesOfASurrogatePair() throws Exception {
        String cars = "\uD83D\uDE97".repeat(30_000);

        for (int limit = 1_000; limit < 1_040; limit++) {
            String kept = read(DeadLetter.of(cars.getBytes(StandardCharsets.UTF_8), "r")
                            .toJson(limit))
                    .get("raw")
                    .asText();
            assertThat(kept.length() % 2).as("limit %d", limit).isZero();
            assertThat(cars).startsWith(kept);
        }
    }

    @Test
    void carriesWhereTheRecordCameFromInTheGivenOrder() throws Exception {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("eventSourceArn", "arn:aws:kinesis:us-east-1:000000000000:stream/totals");
        context.put("sequenceNumber", "4959");

        String json = new DeadLetter("why", new byte[] {'x'}, context).toJson(1_000);

        assertThat(json)
                .startsWith("{\"reason\":\"why\",\"eventSourceArn\":\"arn:aws:kinesis:us-east-1:000000000000:"
                        + "stream/totals\",\"sequenceNumber\":\"4959\",\"length\":1,");
        assertThatThrownBy(() -> new DeadLetter("why", new byte[0], Map.of("raw", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeReasonIsCutShortSoThatTheRecordStillHasRoom() throws Exception {
        DeadLetter letter = DeadLetter.of(new byte[] {'x'}, "r".repeat(50_000));

        assertThat(read(letter.toJson(2_000)).get("raw").asText()).isEqualTo("x");
        String cars = "r" + "\uD83D\uDE97".repeat(1_000);
        assertThat(DeadLetter.of(new byte[] {'x'}, cars).reason())
                .endsWith("\uD83D\uDE97...")
                .hasSize(DeadLetter.MAX_REASON_LENGTH - 1 + 3);
    }
}
