package org.abctolls.domain;

import static org.abctolls.domain.CustomerWindowTotal.requireNotNegative;
import static org.abctolls.domain.TollEventRules.require;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A station counted fewer distinct passages in a 30-minute window than its threshold,
 * possibly none at all (contract section 4).
 */
public record LowTrafficAlert(
        String stationId, Instant windowStart, Instant windowEnd, long vehicles, long minVehicles) {

    public static final String TYPE = "LOW_TRAFFIC";

    /** The order alerts are listed in, the oracle's and a run's alike, so that their files compare line by line. */
    public static final Comparator<LowTrafficAlert> LISTING_ORDER =
            Comparator.comparing(LowTrafficAlert::windowStart).thenComparing(LowTrafficAlert::stationId);

    public LowTrafficAlert {
        require("stationId", TollEventRules.stationIdViolation(stationId));
        Objects.requireNonNull(windowStart, "windowStart is required");
        Objects.requireNonNull(windowEnd, "windowEnd is required");
        TumblingWindow.requireAligned(windowStart, windowEnd, TumblingWindow.STATION);
        requireNotNegative("vehicles", vehicles);
        // Thresholds are read as ints (ReferenceData): a larger one is not from this pipeline.
        if (minVehicles > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "minVehicles must be at most " + Integer.MAX_VALUE + ", was " + minVehicles);
        }
        if (vehicles >= minVehicles) {
            throw new IllegalArgumentException(
                    "vehicles " + vehicles + " is not below minVehicles " + minVehicles + ": no alert");
        }
    }
}
