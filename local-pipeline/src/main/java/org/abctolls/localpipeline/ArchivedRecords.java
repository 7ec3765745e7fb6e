package org.abctolls.localpipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The records of one raw-archive object: each JSON object's bytes, and each stretch of bytes
 * that is not one (not JSON, not an object), refused with the reason.
 *
 * <p>Firehose's backup keeps records back to back, as they came, without their boundaries.
 * Here a record ends where its JSON object ends, and after a stretch that does not parse,
 * reading resumes at the next {@code '{'}. So a record that is an object followed by more
 * bytes reads as two pieces (see the README's Local limits).
 */
final class ArchivedRecords {

    /** One piece of an object: the bytes of a JSON object, or why the stretch is not one. */
    record Piece(long offset, byte[] bytes, String refusal) {
        boolean isObject() {
            return bytes != null;
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
                JSON.readTree(parser);
                int end = at + (int) parser.currentLocation().getByteOffset();
                pieces.add(new Piece(at, Arrays.copyOfRange(data, at, end), null));
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
