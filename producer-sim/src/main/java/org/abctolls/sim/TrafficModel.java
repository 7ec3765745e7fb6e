package org.abctolls.sim;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;

/** The simulated road network and its drivers, drawn once from the seed. */
final class TrafficModel {

    static final List<ZoneId> US_ZONES = List.of(
            ZoneId.of("America/New_York"),
            ZoneId.of("America/Chicago"),
            ZoneId.of("America/Denver"),
            ZoneId.of("America/Los_Angeles"));

    /** Low-traffic thresholds are this share of the traffic a slot normally sees. */
    static final double THRESHOLD_SHARE = 0.5;

    /** Slots expecting fewer vehicles than this get no threshold: too few to tell a fault from chance. */
    private static final int MIN_THRESHOLD = 4;

    private static final String[] PLAZA_NAMES = {
        "Riverside Plaza", "Lakeshore Gate", "Hillcrest", "Harbor Bridge", "Pine Valley", "Canyon Pass",
        "Airport Connector", "Mill Creek", "North Junction", "Summit Tunnel", "Prairie View", "Bayfront"
    };

    private static final VehicleClass[] CLASS_MIX = classMix();

    private final List<StationProfile> stations;
    private final List<CustomerProfile> customers;
    private final double[] cumulativeCustomerWeight;
    private final double peakVehiclesPerStationHour;

    private TrafficModel(List<StationProfile> stations, List<CustomerProfile> customers, double peak) {
        this.stations = List.copyOf(stations);
        this.customers = List.copyOf(customers);
        this.peakVehiclesPerStationHour = peak;
        this.cumulativeCustomerWeight = new double[customers.size()];
        double sum = 0;
        for (int i = 0; i < customers.size(); i++) {
            sum += customers.get(i).weight();
            cumulativeCustomerWeight[i] = sum;
        }
    }

    static TrafficModel create(SimulationOptions options, SplittableRandom random) {
        List<ZoneId> zones = new ArrayList<>(US_ZONES);
        zones.addAll(options.traffic().extraZones());
        List<StationProfile> stations = new ArrayList<>();
        for (int i = 1; i <= options.traffic().stations(); i++) {
            String name = PLAZA_NAMES[(i - 1) % PLAZA_NAMES.length]
                    + (i > PLAZA_NAMES.length ? " " + ((i - 1) / PLAZA_NAMES.length + 1) : "");
            Station station = new Station(String.format("S%04d", i), name, zones.get((i - 1) % zones.size()));
            stations.add(new StationProfile(
                    station, 2 + random.nextInt(7), 0.5 + random.nextDouble(), 80 + 5 * random.nextInt(15)));
        }
        List<CustomerProfile> customers = new ArrayList<>();
        for (int i = 1; i <= options.traffic().customers(); i++) {
            // A quarter are daily commuters; the rest drive now and then.
            boolean commuter = random.nextDouble() < 0.25;
            double weight = commuter ? 12.0 : 0.2 + 0.8 * random.nextDouble();
            customers.add(new CustomerProfile(
                    String.format("C%07d", i),
                    String.format("T%07d", i),
                    CLASS_MIX[random.nextInt(CLASS_MIX.length)],
                    weight));
        }
        return new TrafficModel(stations, customers, options.traffic().peakVehiclesPerStationHour());
    }

    List<StationProfile> stations() {
        return stations;
    }

    List<CustomerProfile> customers() {
        return customers;
    }

    /** Vehicles a station is expected to see in the given span, starting at {@code from}. */
    double expectedVehicles(StationProfile station, Instant from, Duration span) {
        ZonedDateTime local =
                from.plus(span.dividedBy(2)).atZone(station.station().timeZone());
        return expectedVehicles(station, local.getDayOfWeek(), local.toLocalTime(), span);
    }

    private double expectedVehicles(StationProfile station, DayOfWeek day, LocalTime time, Duration span) {
        double hours = span.toMillis() / 3_600_000.0;
        return peakVehiclesPerStationHour * station.sizeFactor() * TrafficCurve.factor(day, time) * hours;
    }

    /** One passage of a driver through a station at the given instant. */
    TollEvent passage(StationProfile station, Instant eventTime, SplittableRandom random) {
        return passage(station, eventTime, pickCustomer(random), random);
    }

    /** One passage of the given driver through a station at the given instant. */
    TollEvent passage(StationProfile station, Instant eventTime, CustomerProfile customer, SplittableRandom random) {
        return new TollEvent(
                uuid(random),
                station.station().stationId(),
                1 + random.nextInt(station.lanes()),
                customer.transceiverId(),
                customer.customerId(),
                customer.vehicleClass(),
                Tariffs.amountCents(customer.vehicleClass(), station.tariffPercent()),
                eventTime);
    }

    /** A passage at a station drawn by how busy each station is at that moment. */
    TollEvent passageAt(Instant eventTime, SplittableRandom random) {
        double[] cumulative = new double[stations.size()];
        double sum = 0;
        for (int i = 0; i < stations.size(); i++) {
            sum += expectedVehicles(stations.get(i), eventTime, Duration.ofMinutes(1));
            cumulative[i] = sum;
        }
        int index = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
        return passage(stations.get(index >= 0 ? index : -index - 1), eventTime, random);
    }

    /** A version 4 UUID from the seeded generator, so event ids repeat with the seed. */
    static String uuid(SplittableRandom random) {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /** Picks a driver, commuters far more often than occasional drivers. */
    CustomerProfile pickCustomer(SplittableRandom random) {
        double target = random.nextDouble() * cumulativeCustomerWeight[cumulativeCustomerWeight.length - 1];
        int index = Arrays.binarySearch(cumulativeCustomerWeight, target);
        return customers.get(index >= 0 ? index : -index - 1);
    }

    /** Per station and half-hour slot of the week: a share of the traffic the slot normally sees. */
    List<StationThreshold> thresholds() {
        List<StationThreshold> thresholds = new ArrayList<>();
        Duration halfHour = Duration.ofMinutes(30);
        for (StationProfile station : stations) {
            for (DayOfWeek day : DayOfWeek.values()) {
                for (int minute = 0; minute < 24 * 60; minute += 30) {
                    LocalTime slotStart = LocalTime.of(minute / 60, minute % 60);
                    double expected = expectedVehicles(station, day, slotStart.plusMinutes(15), halfHour);
                    int minVehicles = (int) Math.floor(expected * THRESHOLD_SHARE);
                    if (minVehicles >= MIN_THRESHOLD) {
                        thresholds.add(new StationThreshold(
                                station.station().stationId(), new ThresholdSlot(day, slotStart), minVehicles));
                    }
                }
            }
        }
        return thresholds;
    }

    private static VehicleClass[] classMix() {
        List<VehicleClass> mix = new ArrayList<>();
        addTimes(mix, VehicleClass.CAR, 70);
        addTimes(mix, VehicleClass.VAN, 8);
        addTimes(mix, VehicleClass.TRUCK_2AXLE, 8);
        addTimes(mix, VehicleClass.TRUCK_3AXLE, 5);
        addTimes(mix, VehicleClass.MOTORCYCLE, 4);
        addTimes(mix, VehicleClass.TRUCK_4PLUS, 3);
        addTimes(mix, VehicleClass.BUS, 2);
        return mix.toArray(VehicleClass[]::new);
    }

    private static void addTimes(List<VehicleClass> mix, VehicleClass vehicleClass, int percent) {
        for (int i = 0; i < percent; i++) {
            mix.add(vehicleClass);
        }
    }
}
