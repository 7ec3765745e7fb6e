package org.abctolls.analytics;

import java.io.StringReader;
import java.util.List;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThresholds;

/**
 * One poll of the reference data (contract section 2): a usable version as the CSV text of
 * its two files, or a version that could not be used and why. It travels as text, which every
 * Flink serializer handles, and is parsed where it is used. Public, so that on Java 17 Flink
 * serializes it as a record rather than through Kryo; on Managed Flink's Java 11, where the
 * rewritten class is no record, Kryo does (analytics/README.md, "Java 11").
 *
 * @param version identifies the pair of files, e.g. their S3 ETags; a new usable version replaces the old
 * @param problem why this version cannot be used (then both texts are empty), or null
 */
public record ReferenceDataSnapshot(String stationsCsv, String thresholdsCsv, String version, String problem) {

    /** The snapshot's content, checked against the contract. */
    public record Parsed(List<Station> stations, StationThresholds thresholds) {}

    public static ReferenceDataSnapshot usable(String stationsCsv, String thresholdsCsv, String version) {
        return new ReferenceDataSnapshot(stationsCsv, thresholdsCsv, version, null);
    }

    /** A version that must not replace the one in force: broken files, or none to read. */
    public static ReferenceDataSnapshot unusable(String version, String problem) {
        return new ReferenceDataSnapshot("", "", version, problem);
    }

    public boolean isUsable() {
        return problem == null;
    }

    /**
     * @throws org.abctolls.domain.ReferenceDataException naming the file, line and field at fault
     */
    public Parsed parse() {
        if (!isUsable()) {
            throw new IllegalStateException("reference data version " + version + " is not usable: " + problem);
        }
        List<Station> stations = ReferenceData.readStations(ReferenceData.STATIONS_FILE, new StringReader(stationsCsv));
        return new Parsed(
                stations,
                new StationThresholds(ReferenceData.readStationThresholds(
                        ReferenceData.STATION_THRESHOLDS_FILE, new StringReader(thresholdsCsv), stations)));
    }
}
