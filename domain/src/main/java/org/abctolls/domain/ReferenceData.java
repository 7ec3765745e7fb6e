package org.abctolls.domain;

import java.io.Reader;
import java.io.Writer;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Readers for the reference data files of contract section 2. Every error names the file,
 * the line and the field, so that whoever maintains the files can fix them at once.
 */
public final class ReferenceData {

    public static final String STATIONS_FILE = "stations.csv";
    public static final String STATION_THRESHOLDS_FILE = "station-thresholds.csv";
    public static final String CUSTOMERS_FILE = "customers.csv";

    public static final List<String> STATIONS_HEADER = List.of("stationId", "name", "timeZone");
    public static final List<String> STATION_THRESHOLDS_HEADER =
            List.of("stationId", "dayOfWeek", "slotStart", "minVehicles");
    public static final List<String> CUSTOMERS_HEADER = List.of("customerId", "monthlyThresholdCents");

    private static final Pattern SLOT_START = Pattern.compile("([01][0-9]|2[0-3]):(00|30)");
    private static final Set<String> IANA_ZONE_IDS = ZoneId.getAvailableZoneIds();

    private ReferenceData() {}

    public static List<Station> readStations(String fileName, Reader reader) {
        List<Station> stations = new ArrayList<>();
        Map<String, ReferenceCsv.Row> firstRow = new HashMap<>();
        ReferenceCsv.forEachRow(fileName, reader, STATIONS_HEADER, row -> {
            String stationId = row.checked("stationId", TollEventRules::stationIdViolation);
            String name = row.checked("name", ReferenceData::notEmpty);
            String zone = row.get("timeZone");
            if (!IANA_ZONE_IDS.contains(zone)) {
                throw row.error("timeZone", "not an IANA time zone id: " + TollEventRules.quote(zone));
            }
            if (row.unique(firstRow, "stationId", stationId, "station " + stationId)) {
                stations.add(new Station(stationId, name, ZoneId.of(zone)));
            }
        });
        return stations;
    }

    public static List<StationThreshold> readStationThresholds(
            String fileName, Reader reader, Collection<Station> knownStations) {
        Set<String> stationIds = knownStations.stream().map(Station::stationId).collect(Collectors.toSet());
        List<StationThreshold> thresholds = new ArrayList<>();
        Map<String, ReferenceCsv.Row> firstRow = new HashMap<>();
        ReferenceCsv.forEachRow(fileName, reader, STATION_THRESHOLDS_HEADER, row -> {
            String stationId = row.checked("stationId", TollEventRules::stationIdViolation);
            if (!stationIds.contains(stationId)) {
                throw row.error("stationId", "unknown station " + stationId + " (not in " + STATIONS_FILE + ")");
            }
            DayOfWeek day = row.dayOfWeek("dayOfWeek");
            String slotStart = row.checked(
                    "slotStart",
                    value -> SLOT_START.matcher(value).matches()
                            ? Optional.empty()
                            : Optional.of("must be HH:00 or HH:30 (24-hour), was " + TollEventRules.quote(value)));
            int minVehicles = Math.toIntExact(row.notNegative("minVehicles", Integer.MAX_VALUE));
            ThresholdSlot slot = new ThresholdSlot(day, LocalTime.parse(slotStart));
            if (row.unique(
                    firstRow,
                    "stationId+dayOfWeek+slotStart",
                    stationId + " " + slot,
                    "threshold for " + stationId + " " + slot)) {
                thresholds.add(new StationThreshold(stationId, slot, minVehicles));
            }
        });
        return thresholds;
    }

    /**
     * The customers, as the mobile app would have written them to DynamoDB. A threshold is read
     * as the billing function reads one ({@link Customer#thresholdCents}); one that is not a whole
     * number of cents from 0 up ({@code -1}, {@code 12.5}, {@code ten}) is no threshold: the
     * customer is billed, never alerted (contract section 2), and the row is reported to
     * {@code unusableThreshold}.
     *
     * @throws ReferenceDataException for a row without a valid customer id, or a customer twice
     */
    public static List<Customer> readCustomers(
            String fileName, Reader reader, Consumer<ReferenceDataException> unusableThreshold) {
        List<Customer> customers = new ArrayList<>();
        Map<String, ReferenceCsv.Row> firstRow = new HashMap<>();
        ReferenceCsv.forEachRow(fileName, reader, CUSTOMERS_HEADER, row -> {
            String customerId = row.checked("customerId", TollEventRules::customerIdViolation);
            OptionalLong threshold = OptionalLong.empty();
            String written = row.get("monthlyThresholdCents");
            if (!written.isEmpty()) {
                try {
                    threshold = OptionalLong.of(Customer.thresholdCents(written));
                } catch (IllegalArgumentException unusable) {
                    unusableThreshold.accept(row.error(
                            "monthlyThresholdCents", unusable.getMessage() + ", was " + TollEventRules.quote(written)));
                }
            }
            if (row.unique(firstRow, "customerId", customerId, "customer " + customerId)) {
                customers.add(new Customer(customerId, threshold));
            }
        });
        return customers;
    }

    public static void writeStations(Writer writer, List<Station> stations) {
        ReferenceCsv.writeRows(
                writer,
                STATIONS_HEADER,
                stations.stream()
                        .map(s -> new String[] {
                            s.stationId(), s.name(), s.timeZone().getId()
                        })
                        .toList());
    }

    public static void writeStationThresholds(Writer writer, List<StationThreshold> thresholds) {
        ReferenceCsv.writeRows(
                writer,
                STATION_THRESHOLDS_HEADER,
                thresholds.stream()
                        .map(t -> new String[] {
                            t.stationId(),
                            t.slot().dayOfWeek().name(),
                            t.slot().slotStart().toString(),
                            Integer.toString(t.minVehicles())
                        })
                        .toList());
    }

    public static void writeCustomers(Writer writer, List<Customer> customers) {
        ReferenceCsv.writeRows(
                writer,
                CUSTOMERS_HEADER,
                customers.stream()
                        .map(c -> new String[] {
                            c.customerId(),
                            c.monthlyThresholdCents().isPresent()
                                    ? Long.toString(c.monthlyThresholdCents().getAsLong())
                                    : ""
                        })
                        .toList());
    }

    private static Optional<String> notEmpty(String value) {
        return value.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
    }
}
