package org.abctolls.analytics;

import java.io.StringReader;
import java.util.List;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThresholds;

/**
 * One consistent version of the reference data (contract section 2) as the CSV text of its
 * two files. It travels as text, which every Flink serializer handles, and is parsed where
 * it is used. Public, so that Flink serializes it as a POJO rather than through Kryo.
 *
 * @param version identifies the pair of files, e.g. their S3 ETags; a new version replaces the old
 */
public record ReferenceDataSnapshot(String stationsCsv, String thresholdsCsv, String version) {

    /** The snapshot's content, checked against the contract. */
    public record Parsed(List<Station> stations, StationThresholds thresholds) {}

    /**
     * @throws org.abctolls.domain.ReferenceDataException naming the file, line and field at fault
     */
    public Parsed parse() {
        List<Station> stations = ReferenceData.readStations(ReferenceData.STATIONS_FILE, new StringReader(stationsCsv));
        return new Parsed(
                stations,
                new StationThresholds(ReferenceData.readStationThresholds(
                        ReferenceData.STATION_THRESHOLDS_FILE, new StringReader(thresholdsCsv), stations)));
    }
}
