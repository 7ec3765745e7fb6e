package org.abctolls.localpipeline;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * record per line, in arrival order, malformed ones included: the pipeline must reject them,
 * not the reader), {@code stations.csv}, {@code station-thresholds.csv} and {@code customers.csv}.
 */
public record ReplayInput(LocalPipeline.Reference reference, List<Emission> events) {

    public static final String EVENTS = "events.jsonl";

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
        List<Customer> customers = readCsv(dir, ReferenceData.CUSTOMERS_FILE, ReferenceData::readCustomers);
        return new ReplayInput(new LocalPipeline.Reference(stations, thresholds, customers), readEvents(dir));
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
     * Each line becomes a record keyed by its station, as the transceivers' gateway sends
     * them; a line that names no station (it is malformed) keeps the previous line's key and
     * arrival, so it lands where it stood.
     */
    private static List<Emission> readEvents(Path dir) throws InvalidInput {
        Path file = dir.resolve(EVENTS);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInput("missing " + file, e);
        } catch (IOException e) {
            throw new InvalidInput("cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
        }
        List<Emission> events = new ArrayList<>(lines.size());
        String partitionKey = "unknown-station";
        Instant arrival = Instant.EPOCH;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Emission.Kind kind = Emission.Kind.MALFORMED;
            if (TollJson.parseTollEvent(line) instanceof TollEventParseResult.Valid valid) {
                partitionKey = valid.event().stationId();
                arrival = valid.event().eventTime();
                kind = Emission.Kind.PASSAGE;
            }
            events.add(new Emission(line, partitionKey, arrival, kind));
        }
        return events;
    }
}
