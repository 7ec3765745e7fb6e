package org.abctolls.sim;

import java.util.EnumMap;
import java.util.Map;
import org.abctolls.domain.VehicleClass;

/** Toll per vehicle class at a standard station; each station scales it by its own percentage. */
final class Tariffs {

    private static final Map<VehicleClass, Integer> BASE_CENTS = new EnumMap<>(Map.of(
            VehicleClass.MOTORCYCLE, 150,
            VehicleClass.CAR, 275,
            VehicleClass.VAN, 350,
            VehicleClass.BUS, 500,
            VehicleClass.TRUCK_2AXLE, 650,
            VehicleClass.TRUCK_3AXLE, 900,
            VehicleClass.TRUCK_4PLUS, 1250));

    private Tariffs() {}

    /** Rounded to 5 cents, as toll tables are. */
    static int amountCents(VehicleClass vehicleClass, int stationPercent) {
        return Math.round(BASE_CENTS.get(vehicleClass) * stationPercent / 500f) * 5;
    }
}
