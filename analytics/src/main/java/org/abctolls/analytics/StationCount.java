package org.abctolls.analytics;

/**
 * What a station counted in the station window starting at {@code windowStart} (epoch
 * millis). Public, so that Flink serializes it as a POJO rather than through Kryo.
 */
public record StationCount(String stationId, long windowStart, long vehicles) {}
