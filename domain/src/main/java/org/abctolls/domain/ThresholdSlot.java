package org.abctolls.domain;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * A half-hour slot of a station's week in the station's own time zone: the key of the
 * low-traffic thresholds (contract section 2).
 */
public record ThresholdSlot(DayOfWeek dayOfWeek, LocalTime slotStart) {

    public ThresholdSlot {
        Objects.requireNonNull(dayOfWeek, "dayOfWeek");
        Objects.requireNonNull(slotStart, "slotStart");
        if ((slotStart.getMinute() != 0 && slotStart.getMinute() != 30)
                || slotStart.getSecond() != 0
                || slotStart.getNano() != 0) {
            throw new IllegalArgumentException("slotStart must be HH:00 or HH:30, was " + slotStart);
        }
    }

    /**
     * The slot of a station window: the day of week and half hour of the window's start
     * instant in the station's zone. Across a DST fall-back the repeated local half hours map
     * to the same slot; in a zone whose offset is not a whole half hour (Asia/Kathmandu,
     * +05:45) the window start falls inside a local half hour and takes that slot.
     */
    public static ThresholdSlot of(Instant windowStart, ZoneId stationZone) {
        ZonedDateTime local = windowStart.atZone(stationZone);
        int halfHourMinute = local.getMinute() < 30 ? 0 : 30;
        return new ThresholdSlot(local.getDayOfWeek(), LocalTime.of(local.getHour(), halfHourMinute));
    }

    @Override
    public String toString() {
        return dayOfWeek + " " + slotStart;
    }
}
