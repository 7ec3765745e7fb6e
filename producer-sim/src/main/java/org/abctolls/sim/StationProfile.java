package org.abctolls.sim;

import org.abctolls.domain.Station;

/** A simulated station: its lanes, how busy it is relative to the others, and its tariff level. */
record StationProfile(Station station, int lanes, double sizeFactor, int tariffPercent) {}
