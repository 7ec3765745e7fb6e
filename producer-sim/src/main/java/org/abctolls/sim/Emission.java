package org.abctolls.sim;

import java.time.Instant;

/**
 * One record as the simulator sends it, in arrival order: a passage, an exact re-send of
 * one, or a record that breaks the contract.
 */
public record Emission(String raw, String partitionKey, Instant arrival, Kind kind) {

    public enum Kind {
        PASSAGE,
        DUPLICATE,
        MALFORMED
    }
}
