package org.abctolls.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import org.abctolls.domain.TumblingWindow;

/**
 * Everything that determines a simulated run: the same options, seed included, give
 * byte-identical events, reference data and oracle.
 *
 * @param watermarkBound the analytics job's out-of-orderness bound, which decides what is late
 */
public record SimulationOptions(long seed, Traffic traffic, Scenarios scenarios, Duration watermarkBound) {

    public static final Instant DEFAULT_START = Instant.parse("2026-11-16T00:00:00Z");

    /**
     * The road network and how much it is used.
     *
     * @param peakVehiclesPerStationHour vehicles an average station sees in the weekday morning peak hour
     * @param extraZones time zones for stations beyond the four continental US ones
     * @param maxEvents stop generating after this many passages (0: no limit)
     */
    public record Traffic(
            Instant start,
            Duration span,
            int stations,
            int customers,
            double peakVehiclesPerStationHour,
            List<ZoneId> extraZones,
            long maxEvents) {

        public Traffic {
            Objects.requireNonNull(start, "start");
            extraZones = List.copyOf(extraZones);
            requirePositive("span", span.toMillis());
            requirePositive("stations", stations);
            requirePositive("customers", customers);
            if (stations > 9999 || customers > 9_999_999) {
                throw new IllegalArgumentException(
                        "at most 9999 stations and 9999999 customers fit the contract's ids");
            }
            if (peakVehiclesPerStationHour <= 0) {
                throw new IllegalArgumentException("peakVehiclesPerStationHour must be positive");
            }
        }

        public Traffic withExtraZones(List<ZoneId> zones) {
            return new Traffic(start, span, stations, customers, peakVehiclesPerStationHour, zones, maxEvents);
        }

        public Traffic withMaxEvents(long max) {
            return new Traffic(start, span, stations, customers, peakVehiclesPerStationHour, extraZones, max);
        }

        public Instant end() {
            return start.plus(span);
        }
    }

    /**
     * What goes wrong, each off at zero.
     *
     * @param deadSensors stations whose sensor dies for one to two hours
     * @param thresholdCrossers customers whose monthly threshold is set so that they cross it in the run
     * @param duplicateFraction passages re-sent once more, as a producer retry would
     * @param outOfOrderBound passages arrive up to this much after their event time (bounded disorder)
     * @param lateFraction passages that arrive one to three hours after their event time, after their
     *     station window has closed
     * @param malformedFraction extra records, beside the passages, that break the contract
     * @param hostile the records of a hostile world at midday (see {@link HostileRecords}): bytes
     *     that are not UTF-8, a record over Kinesis' limit, one of 200,000 control characters, an
     *     event stamped in 2099, passages more than a day late, late passages around midday for a
     *     revised billing window and a closed station window, other content under a seen event id
     */
    public record Scenarios(
            int deadSensors,
            int thresholdCrossers,
            double duplicateFraction,
            Duration outOfOrderBound,
            double lateFraction,
            double malformedFraction,
            boolean hostile) {

        public static final Scenarios NONE = new Scenarios(0, 0, 0, Duration.ZERO, 0, 0, false);

        /** Every ordinary scenario at once, at rates that leave most traffic ordinary; no hostile records. */
        public static final Scenarios ALL = new Scenarios(2, 20, 0.01, Duration.ofSeconds(30), 0.005, 0.002, false);

        /** The same scenarios, with or without the hostile records at midday. */
        public Scenarios withHostile(boolean value) {
            return new Scenarios(
                    deadSensors,
                    thresholdCrossers,
                    duplicateFraction,
                    outOfOrderBound,
                    lateFraction,
                    malformedFraction,
                    value);
        }

        public Scenarios {
            if (deadSensors < 0 || thresholdCrossers < 0 || outOfOrderBound.isNegative()) {
                throw new IllegalArgumentException("scenario counts and bounds must not be negative");
            }
            requireFraction("duplicateFraction", duplicateFraction);
            requireFraction("lateFraction", lateFraction);
            requireFraction("malformedFraction", malformedFraction);
        }
    }

    public SimulationOptions {
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(scenarios, "scenarios");
        if (scenarios.deadSensors() > traffic.stations()) {
            throw new IllegalArgumentException("deadSensors must be at most the number of stations");
        }
        if (scenarios.thresholdCrossers() > traffic.customers()) {
            throw new IllegalArgumentException("thresholdCrossers must be at most the number of customers");
        }
        if (scenarios.outOfOrderBound().compareTo(watermarkBound) > 0) {
            throw new IllegalArgumentException("outOfOrderBound must be at most the watermark bound " + watermarkBound
                    + ", was " + scenarios.outOfOrderBound());
        }
    }

    /** One day from {@link #DEFAULT_START} with 12 stations, 2,000 customers and no scenario switched on. */
    public static SimulationOptions defaults() {
        return new SimulationOptions(
                42,
                new Traffic(DEFAULT_START, Duration.ofDays(1), 12, 2_000, 240, List.of(), 0),
                Scenarios.NONE,
                TumblingWindow.DEFAULT_WATERMARK_BOUND);
    }

    public SimulationOptions withSeed(long value) {
        return new SimulationOptions(value, traffic, scenarios, watermarkBound);
    }

    public SimulationOptions withTraffic(Traffic value) {
        return new SimulationOptions(seed, value, scenarios, watermarkBound);
    }

    /** The same network extras and event limit, with another start, span and size. */
    public SimulationOptions withTraffic(Instant start, Duration span, int stations, int customers, double peak) {
        return withTraffic(
                new Traffic(start, span, stations, customers, peak, traffic.extraZones(), traffic.maxEvents()));
    }

    public SimulationOptions withScenarios(Scenarios value) {
        return new SimulationOptions(seed, traffic, value, watermarkBound);
    }

    public SimulationOptions withWatermarkBound(Duration value) {
        return new SimulationOptions(seed, traffic, scenarios, value);
    }

    public Instant start() {
        return traffic.start();
    }

    public Instant end() {
        return traffic.end();
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    private static void requireFraction(String name, double value) {
        if (value < 0 || value > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1, was " + value);
        }
    }
}
