package org.abctolls.domain;

/** The vehicle classes a transceiver can be registered for (contract section 1). */
public enum VehicleClass {
    MOTORCYCLE,
    CAR,
    VAN,
    BUS,
    TRUCK_2AXLE,
    TRUCK_3AXLE,
    TRUCK_4PLUS
}
