package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.abctolls.domain.DeadLetter;
import org.abctolls.sim.Emission;

/**
 * Which records a run must refuse and which it did, compared by SHA-256: a dead letter keeps
 * the digest of the whole record even when it holds only a prefix of it.
 */
public final class RejectedRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RejectedRecords() {}

    /** The digests of the records a correct pipeline refuses: malformed ones, and those over Kinesis' limit. */
    public static List<String> digestsOfThoseToRefuse(List<Emission> sent) {
        List<String> digests = new ArrayList<>();
        for (Emission emission : sent) {
            if (emission.kind() == Emission.Kind.MALFORMED || emission.kind() == Emission.Kind.OVERSIZED) {
                digests.add(DeadLetter.of(emission.data(), "").sha256());
            }
        }
        return digests;
    }

    /** The digests of the rejected records a run wrote, one per dead letter. */
    public static List<String> digests(List<String> rejected) {
        List<String> digests = new ArrayList<>();
        for (String deadLetter : rejected) {
            digests.add(read(deadLetter).path("sha256").asText());
        }
        return digests;
    }

    static JsonNode read(String deadLetter) {
        try {
            return JSON.readTree(deadLetter);
        } catch (IOException e) {
            throw new UncheckedIOException("a dead letter that is not JSON: " + deadLetter, e);
        }
    }
}
