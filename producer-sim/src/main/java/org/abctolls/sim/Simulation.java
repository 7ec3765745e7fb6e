package org.abctolls.sim;

import java.util.List;
import org.abctolls.domain.Customer;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;

/** A generated run: the reference data that matches it and its records in arrival order. */
public record Simulation(
        List<Station> stations, List<StationThreshold> thresholds, List<Customer> customers, List<Emission> emissions) {

    public Simulation {
        stations = List.copyOf(stations);
        thresholds = List.copyOf(thresholds);
        customers = List.copyOf(customers);
        emissions = List.copyOf(emissions);
    }
}
