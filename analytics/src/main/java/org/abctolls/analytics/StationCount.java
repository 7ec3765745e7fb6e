package org.abctolls.analytics;

/**
 * What a station counted in the station window starting at {@code windowStart} (epoch
 * millis), or, from {@link #firstPassageRead}, the window where the low-traffic evaluation
 * starts. Public, so that on Java 17 Flink serializes it as a record rather than through Kryo;
 * on Managed Flink's Java 11, where the rewritten class is no record, Kryo does.
 */
public record StationCount(String stationId, long windowStart, long vehicles) {

    /** Never a station id (the contract's are {@code S} and four digits). */
    private static final String FIRST_PASSAGE_READ = "first-passage-read";

    /**
     * The station window of the first passage a reader read: the contract evaluates every
     * station from that window on, not from the earliest window a passage was counted in.
     */
    static StationCount firstPassageRead(long windowStart) {
        return new StationCount(FIRST_PASSAGE_READ, windowStart, 0);
    }

    boolean marksFirstPassageRead() {
        return FIRST_PASSAGE_READ.equals(stationId);
    }
}
