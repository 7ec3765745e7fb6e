package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.time.ZoneId;
import java.util.Objects;

/** A toll station from {@code stations.csv}; thresholds and windows are read in its own time zone. */
public record Station(String stationId, String name, ZoneId timeZone) {

    public Station {
        require("stationId", TollEventRules.stationIdViolation(stationId));
        Objects.requireNonNull(name, "name is required");
        Objects.requireNonNull(timeZone, "timeZone is required");
    }
}
