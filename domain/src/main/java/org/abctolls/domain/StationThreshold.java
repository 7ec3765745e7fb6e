package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.util.Objects;

/** One row of {@code station-thresholds.csv}: the fewest vehicles expected in a station's half-hour slot. */
public record StationThreshold(String stationId, ThresholdSlot slot, int minVehicles) {

    public StationThreshold {
        require("stationId", TollEventRules.stationIdViolation(stationId));
        Objects.requireNonNull(slot, "slot is required");
        if (minVehicles < 0) {
            throw new IllegalArgumentException("minVehicles must not be negative, was " + minVehicles);
        }
    }
}
