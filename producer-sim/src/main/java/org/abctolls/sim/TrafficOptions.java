package org.abctolls.sim;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The shape of the simulated traffic, as every command that generates it takes it: the seed,
 * how long, how many stations and customers, and how busy. Each command gives its own defaults
 * ({@link #of}): a day of a small network for the demo, a larger one for the simulator.
 */
public final class TrafficOptions {

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--span", description = "Simulated time to run (default: ${DEFAULT-VALUE}).")
    Duration span = Duration.ofDays(1);

    @Option(names = "--stations", description = "Toll stations (default: ${DEFAULT-VALUE}).")
    int stations;

    @Option(names = "--customers", description = "Customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--peak-vehicles-per-hour",
            description =
                    "Vehicles an average station sees in the weekday morning peak hour (default: ${DEFAULT-VALUE}).")
    double peakVehiclesPerHour;

    /** For picocli, which fills every field from the command line. */
    public TrafficOptions() {}

    /** The options with a command's own defaults. */
    public static TrafficOptions of(int stations, int customers, double peakVehiclesPerHour) {
        TrafficOptions options = new TrafficOptions();
        options.stations = stations;
        options.customers = customers;
        options.peakVehiclesPerHour = peakVehiclesPerHour;
        return options;
    }

    public long seed() {
        return seed;
    }

    public Duration span() {
        return span;
    }

    public int stations() {
        return stations;
    }

    public int customers() {
        return customers;
    }

    public double peakVehiclesPerHour() {
        return peakVehiclesPerHour;
    }
}
