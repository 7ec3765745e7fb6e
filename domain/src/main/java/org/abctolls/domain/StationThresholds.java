package org.abctolls.domain;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Low-traffic thresholds by station and slot. A (station, slot) with no row has no threshold: no alert. */
public final class StationThresholds {

    private final Map<String, Map<ThresholdSlot, Integer>> minVehiclesByStation = new HashMap<>();

    public StationThresholds(Collection<StationThreshold> thresholds) {
        for (StationThreshold threshold : thresholds) {
            Integer previous = minVehiclesByStation
                    .computeIfAbsent(threshold.stationId(), station -> new HashMap<>())
                    .put(threshold.slot(), threshold.minVehicles());
            if (previous != null) {
                throw new IllegalArgumentException(
                        "duplicate threshold for " + threshold.stationId() + " " + threshold.slot());
            }
        }
    }

    public OptionalInt minVehicles(String stationId, ThresholdSlot slot) {
        Integer min = minVehiclesByStation.getOrDefault(stationId, Map.of()).get(slot);
        return min == null ? OptionalInt.empty() : OptionalInt.of(min);
    }
}
