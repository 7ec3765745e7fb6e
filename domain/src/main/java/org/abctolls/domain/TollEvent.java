package org.abctolls.domain;

import static org.abctolls.domain.TollEventRules.require;

import java.time.Instant;
import java.util.Objects;

/**
 * One passage of a transceiver through a toll station (contract section 1). A constructed
 * instance always satisfies every rule of the contract; untrusted input goes through
 * {@link TollJson#parseTollEvent(String, Instant)}, which reports violations instead of throwing.
 */
public record TollEvent(
        String eventId,
        String stationId,
        int laneId,
        String transceiverId,
        String customerId,
        VehicleClass vehicleClass,
        int amountCents,
        Instant eventTime) {

    public TollEvent {
        require("eventId", TollEventRules.eventIdViolation(eventId));
        require("stationId", TollEventRules.stationIdViolation(stationId));
        require("laneId", TollEventRules.laneIdViolation(laneId));
        require("transceiverId", TollEventRules.transceiverIdViolation(transceiverId));
        require("customerId", TollEventRules.customerIdViolation(customerId));
        Objects.requireNonNull(vehicleClass, "vehicleClass is required");
        require("amountCents", TollEventRules.amountCentsViolation(amountCents));
        require("eventTime", TollEventRules.eventTimeViolation(eventTime));
    }
}
