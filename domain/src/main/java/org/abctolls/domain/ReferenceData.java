package org.abctolls.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .build();
    private static final Pattern SLOT_START = Pattern.compile("([01][0-9]|2[0-3]):(00|30)");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");
    private static final Set<String> IANA_ZONE_IDS = ZoneId.getAvailableZoneIds();

    private ReferenceData() {}

    public static List<Station> readStations(String fileName, Reader reader) {
        List<Station> stations = new ArrayList<>();
        Map<String, Row> firstRow = new HashMap<>();
        forEachRow(fileName, reader, STATIONS_HEADER, row -> {
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
        Map<String, Row> firstRow = new HashMap<>();
        forEachRow(fileName, reader, STATION_THRESHOLDS_HEADER, row -> {
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
        Map<String, Row> firstRow = new HashMap<>();
        forEachRow(fileName, reader, CUSTOMERS_HEADER, row -> {
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
        writeRows(
                writer,
                STATIONS_HEADER,
                stations.stream()
                        .map(s -> new String[] {
                            s.stationId(), s.name(), s.timeZone().getId()
                        })
                        .toList());
    }

    public static void writeStationThresholds(Writer writer, List<StationThreshold> thresholds) {
        writeRows(
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
        writeRows(
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

    private static void writeRows(Writer writer, List<String> header, List<String[]> rows) {
        try (SequenceWriter out = CSV.writerFor(String[].class)
                .with(CSV.schema().withLineSeparator("\n"))
                .writeValues(writer)) {
            out.write(header.toArray(String[]::new));
            out.writeAll(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> notEmpty(String value) {
        return value.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
    }

    private static void forEachRow(String fileName, Reader reader, List<String> header, Consumer<Row> handler) {
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(withoutByteOrderMark(reader))) {
            if (!rows.hasNextValue()) {
                throw new ReferenceDataException(fileName, 1, null, "empty file, expected the header " + header);
            }
            long headerLine = rows.getCurrentLocation().getLineNr();
            List<String> actualHeader = Arrays.asList(rows.nextValue());
            // Columns are found by name: a file may order them otherwise, or add its own.
            if (!header.stream()
                    .allMatch(column -> actualHeader.indexOf(column) >= 0
                            && actualHeader.indexOf(column) == actualHeader.lastIndexOf(column))) {
                throw new ReferenceDataException(
                        fileName,
                        headerLine,
                        null,
                        "expected a header naming each of " + header + " once, found " + actualHeader);
            }
            while (rows.hasNextValue()) {
                long line = rows.getCurrentLocation().getLineNr();
                String[] values = rows.nextValue();
                if (values.length != actualHeader.size()) {
                    throw new ReferenceDataException(
                            fileName,
                            line,
                            null,
                            "expected " + actualHeader.size() + " fields " + actualHeader + ", found " + values.length);
                }
                handler.accept(new Row(fileName, line, header, actualHeader, values));
            }
        } catch (JsonProcessingException e) {
            // A syntax error such as an unclosed quote: the file is broken, not unreadable.
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ReferenceDataException(fileName, line, null, "not valid CSV: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** Spreadsheets save UTF-8 with a byte order mark, which the CSV parser skips only for bytes. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** One data row of a reference file, with checks that report its file, line and field. */
    private record Row(String fileName, long line, List<String> columns, List<String> header, String[] values) {

        String get(String field) {
            return values[header.indexOf(field)];
        }

        /** The values of the contract's columns, whatever else the file holds. */
        List<String> contractValues() {
            return columns.stream().map(this::get).toList();
        }

        ReferenceDataException error(String field, String problem) {
            return new ReferenceDataException(fileName, line, field, problem);
        }

        String checked(String field, Function<String, Optional<String>> rule) {
            String value = get(field);
            Optional<String> problem = rule.apply(value);
            if (problem.isPresent()) {
                throw error(field, problem.get());
            }
            return value;
        }

        long notNegative(String field, long max) {
            String value = get(field);
            if (!WHOLE_NUMBER.matcher(value).matches()) {
                throw error(field, "must be a whole number, was " + TollEventRules.quote(value));
            }
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw error(field, "is out of range, was " + value);
            }
            if (number < 0) {
                throw error(field, "must not be negative, was " + number);
            }
            if (number > max) {
                throw error(field, "must be at most " + max + ", was " + number);
            }
            return number;
        }

        DayOfWeek dayOfWeek(String field) {
            String value = get(field);
            try {
                return DayOfWeek.valueOf(value);
            } catch (IllegalArgumentException e) {
                throw error(
                        field,
                        "must be one of " + List.of(DayOfWeek.values()) + ", was " + TollEventRules.quote(value));
            }
        }

        /**
         * @return whether this is the first row with its key; a row repeated whole is the same
         *     fact again, and false; a row that repeats the key with other values is an error
         */
        boolean unique(Map<String, Row> firstRowByKey, String keyFields, String key, String description) {
            Row first = firstRowByKey.putIfAbsent(key, this);
            if (first == null) {
                return true;
            }
            if (first.contractValues().equals(contractValues())) {
                return false;
            }
            throw error(keyFields, "duplicate " + description + " (first on line " + first.line + ")");
        }
    }
}
