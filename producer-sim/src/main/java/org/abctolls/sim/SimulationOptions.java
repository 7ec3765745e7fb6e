package org.abctolls.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a simulated run: the same options, seed included, give
 * byte-identical events, reference data and oracle.
 *
 * @param peakVehiclesPerStationHour vehicles an average station sees in the weekday morning peak hour
 * @param extraZones time zones for stations beyond the four continental US ones
 * @param maxEvents stop generating after this many passages (0: no limit)
 * @param deadSensors stations whose sensor dies for one to two hours
 * @param thresholdCrossers customers whose monthly threshold is set so that they cross it in the run
 * @param duplicateFraction passages re-sent once more, as a producer retry would
 * @param outOfOrderBound passages arrive up to this much after their event time (bounded disorder)
 * @param lateFraction passages that arrive one to three hours after their event time, after their
 *     station window has closed
 * @param malformedFraction extra records, beside the passages, that break the contract
 * @param watermarkBound the analytics job's out-of-orderness bound, which decides what is late
 */
public record SimulationOptions(
        long seed,
        Instant start,
        Duration span,
        int stations,
        int customers,
        double peakVehiclesPerStationHour,
        List<ZoneId> extraZones,
        long maxEvents,
        int deadSensors,
        int thresholdCrossers,
        double duplicateFraction,
        Duration outOfOrderBound,
        double lateFraction,
        double malformedFraction,
        Duration watermarkBound) {

    public static final Instant DEFAULT_START = Instant.parse("2026-11-16T00:00:00Z");

    public SimulationOptions {
        Objects.requireNonNull(start, "start");
        extraZones = List.copyOf(extraZones);
        requirePositive("span", span.toMillis());
        requirePositive("stations", stations);
        requirePositive("customers", customers);
        if (stations > 9999 || customers > 9_999_999) {
            throw new IllegalArgumentException("at most 9999 stations and 9999999 customers fit the contract's ids");
        }
        if (peakVehiclesPerStationHour <= 0) {
            throw new IllegalArgumentException("peakVehiclesPerStationHour must be positive");
        }
        if (deadSensors < 0 || deadSensors > stations) {
            throw new IllegalArgumentException("deadSensors must be between 0 and the number of stations");
        }
        if (thresholdCrossers < 0 || thresholdCrossers > customers) {
            throw new IllegalArgumentException("thresholdCrossers must be between 0 and the number of customers");
        }
        requireFraction("duplicateFraction", duplicateFraction);
        requireFraction("lateFraction", lateFraction);
        requireFraction("malformedFraction", malformedFraction);
        if (outOfOrderBound.isNegative() || outOfOrderBound.compareTo(watermarkBound) > 0) {
            throw new IllegalArgumentException("outOfOrderBound must be between 0 and the watermark bound "
                    + watermarkBound + ", was " + outOfOrderBound);
        }
    }

    /** One day from {@link #DEFAULT_START} with 12 stations, 2,000 customers and no scenario switched on. */
    public static SimulationOptions defaults() {
        return new SimulationOptions(
                42,
                DEFAULT_START,
                Duration.ofDays(1),
                12,
                2_000,
                240,
                List.of(),
                0,
                0,
                0,
                0,
                Duration.ZERO,
                0,
                0,
                Duration.ofSeconds(60));
    }

    public SimulationOptions withSeed(long value) {
        return new SimulationOptions(
                value,
                start,
                span,
                stations,
                customers,
                peakVehiclesPerStationHour,
                extraZones,
                maxEvents,
                deadSensors,
                thresholdCrossers,
                duplicateFraction,
                outOfOrderBound,
                lateFraction,
                malformedFraction,
                watermarkBound);
    }

    public SimulationOptions withTraffic(
            Instant newStart, Duration newSpan, int newStations, int newCustomers, double newPeak) {
        return new SimulationOptions(
                seed,
                newStart,
                newSpan,
                newStations,
                newCustomers,
                newPeak,
                extraZones,
                maxEvents,
                deadSensors,
                thresholdCrossers,
                duplicateFraction,
                outOfOrderBound,
                lateFraction,
                malformedFraction,
                watermarkBound);
    }

    public SimulationOptions withExtraZones(List<ZoneId> zones) {
        return new SimulationOptions(
                seed,
                start,
                span,
                stations,
                customers,
                peakVehiclesPerStationHour,
                zones,
                maxEvents,
                deadSensors,
                thresholdCrossers,
                duplicateFraction,
                outOfOrderBound,
                lateFraction,
                malformedFraction,
                watermarkBound);
    }

    public SimulationOptions withMaxEvents(long value) {
        return new SimulationOptions(
                seed,
                start,
                span,
                stations,
                customers,
                peakVehiclesPerStationHour,
                extraZones,
                value,
                deadSensors,
                thresholdCrossers,
                duplicateFraction,
                outOfOrderBound,
                lateFraction,
                malformedFraction,
                watermarkBound);
    }

    public SimulationOptions withScenarios(
            int newDeadSensors,
            int newCrossers,
            double newDuplicates,
            Duration newOutOfOrder,
            double newLate,
            double newMalformed) {
        return new SimulationOptions(
                seed,
                start,
                span,
                stations,
                customers,
                peakVehiclesPerStationHour,
                extraZones,
                maxEvents,
                newDeadSensors,
                newCrossers,
                newDuplicates,
                newOutOfOrder,
                newLate,
                newMalformed,
                watermarkBound);
    }

    public SimulationOptions withWatermarkBound(Duration value) {
        return new SimulationOptions(
                seed,
                start,
                span,
                stations,
                customers,
                peakVehiclesPerStationHour,
                extraZones,
                maxEvents,
                deadSensors,
                thresholdCrossers,
                duplicateFraction,
                outOfOrderBound,
                lateFraction,
                malformedFraction,
                value);
    }

    public Instant end() {
        return start.plus(span);
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
