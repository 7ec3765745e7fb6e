package org.abctolls.localpipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The records of one raw-archive object, as COPY's {@code FORMAT AS JSON 'auto ignorecase'}
 * sees them: each JSON object, with its keys lower-cased, and each stretch of bytes that is
 * not one (not UTF-8, not JSON, not an object), refused with the reason.
 *
 * <p>Firehose's backup keeps records back to back, as they came; on AWS, COPY reads the copy
 * where Firehose appended a newline to each record. Here a record ends where its JSON object
 * ends, and after a stretch that does not parse, reading resumes at the next {@code '{'}.
 */
final class ArchivedRecords {

    /** One record: its fields with lower-cased names, or why it cannot load. */
    record Piece(long offset, ObjectNode fields, String refusal) {
        boolean loads() {
            return fields != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private ArchivedRecords() {}

    static List<Piece> split(byte[] data) {
        List<Piece> pieces = new ArrayList<>();
        int at = skipWhitespace(data, 0);
        while (at < data.length) {
            if (data[at] != '{') {
                int next = nextObjectStart(data, at + 1);
                pieces.add(new Piece(at, null, "not a JSON object (" + (next - at) + " bytes)"));
                at = skipWhitespace(data, next);
                continue;
            }
            try (JsonParser parser = FACTORY.createParser(data, at, data.length - at)) {
                JsonNode node = JSON.readTree(parser);
                int end = at + (int) parser.currentLocation().getByteOffset();
                pieces.add(new Piece(at, lowerCaseKeys(node), null));
                at = skipWhitespace(data, end);
            } catch (JsonProcessingException e) {
                int next = nextObjectStart(data, at + 1);
                pieces.add(new Piece(at, null, "not valid JSON: " + e.getOriginalMessage()));
                at = skipWhitespace(data, next);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pieces;
    }

    /** {@code 'auto ignorecase'}: a key names the column whatever its case; the last of equal names wins. */
    private static ObjectNode lowerCaseKeys(JsonNode node) {
        ObjectNode lowered = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            lowered.set(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
        }
        return lowered;
    }

    private static int nextObjectStart(byte[] data, int from) {
        int at = from;
        while (at < data.length && data[at] != '{') {
            at++;
        }
        return at;
    }

    private static int skipWhitespace(byte[] data, int from) {
        int at = from;
        while (at < data.length && (data[at] == ' ' || data[at] == '\n' || data[at] == '\r' || data[at] == '\t')) {
            at++;
        }
        return at;
    }
}
