package org.abctolls.localpipeline;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.abctolls.domain.Customer;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.ReferenceDataException;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThreshold;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.abctolls.sim.Emission;

/**
 * A directory of historical toll logs in the contract's formats: {@code events.jsonl} (one raw
 * record per line, in arrival order, malformed ones included, also bytes that are not UTF-8:
 * the pipeline must reject them, not the reader), {@code stations.csv}, {@code station-thresholds.csv} and {@code customers.csv}.
 *
 * @param unusableThresholds a customer's threshold that is no threshold, each with its line and
 *     reason: the customer is billed, never alerted, as when the app writes one to DynamoDB
 */
public record ReplayInput(LocalPipeline.Reference reference, List<Emission> events, List<String> unusableThresholds) {

    public static final String EVENTS = "events.jsonl";

    private static final byte[] UTF8_BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** An input directory that cannot be replayed, with the file and the reason. */
    public static final class InvalidInput extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidInput(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static ReplayInput read(Path dir) throws InvalidInput {
        List<Station> stations = readCsv(dir, ReferenceData.STATIONS_FILE, ReferenceData::readStations);
        List<StationThreshold> thresholds = readCsv(
                dir,
                ReferenceData.STATION_THRESHOLDS_FILE,
                (name, reader) -> ReferenceData.readStationThresholds(name, reader, stations));
        List<String> unusableThresholds = new ArrayList<>();
        List<Customer> customers = readCsv(
                dir,
                ReferenceData.CUSTOMERS_FILE,
                (name, reader) -> ReferenceData.readCustomers(
                        name, reader, unusable -> unusableThresholds.add(unusable.getMessage())));
        return new ReplayInput(
                new LocalPipeline.Reference(stations, thresholds, customers),
                readEvents(dir),
                List.copyOf(unusableThresholds));
    }

    private interface CsvReader<T> {
        List<T> read(String fileName, Reader reader);
    }

    private static <T> List<T> readCsv(Path dir, String fileName, CsvReader<T> csv) throws InvalidInput {
        Path file = dir.resolve(fileName);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return csv.read(fileName, reader);
        } catch (NoSuchFileException e) {
            throw new InvalidInput("missing " + file, e);
        } catch (IOException e) {
            throw new InvalidInput("cannot read " + file + ": " + e.getMessage(), e);
        } catch (ReferenceDataException e) {
            throw new InvalidInput(e.getMessage(), e);
        }
    }

    /**
     * Each line becomes a record, exactly its bytes (not UTF-8 ones included: the pipeline
     * rejects them, not the reader), keyed by its station as the transceivers' gateway keys
     * them; a line that names no station keeps the previous line's key and arrival, so it lands
     * where it stood. An empty line is not a record; a line ending in CR LF ends before the CR.
     * A line over Kinesis' record limit is still a record: the producer keeps it back. A byte
     * order mark that opens the file marks the file as UTF-8 (editors on Windows write one), as
     * in the reference files; it is not part of the first record.
     */
    private static List<Emission> readEvents(Path dir) throws InvalidInput {
        Path file = dir.resolve(EVENTS);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInput("missing " + file, e);
        } catch (IOException e) {
            throw new InvalidInput("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Emission> events = new ArrayList<>();
        String partitionKey = "unknown-station";
        Instant arrival = Instant.EPOCH;
        int from = startsWithByteOrderMark(content) ? UTF8_BYTE_ORDER_MARK.length : 0;
        while (from < content.length) {
            int end = from;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            int last = end > from && content[end - 1] == '\r' ? end - 1 : end;
            byte[] line = Arrays.copyOfRange(content, from, last);
            from = end + 1;
            if (line.length == 0) {
                continue;
            }
            Emission.Kind kind = Emission.Kind.MALFORMED;
            // Only which station the line names matters here; whether it is valid is the pipeline's to say.
            if (TollJson.parseTollEvent(line, Instant.MAX) instanceof TollEventParseResult.Valid valid) {
                partitionKey = valid.event().stationId();
                arrival = valid.event().eventTime();
                kind = Emission.Kind.PASSAGE;
            }
            events.add(new Emission(line, partitionKey, arrival, kind));
        }
        return events;
    }

    private static boolean startsWithByteOrderMark(byte[] content) {
        return content.length >= UTF8_BYTE_ORDER_MARK.length
                && Arrays.equals(
                        content, 0, UTF8_BYTE_ORDER_MARK.length, UTF8_BYTE_ORDER_MARK, 0, UTF8_BYTE_ORDER_MARK.length);
    }
}
