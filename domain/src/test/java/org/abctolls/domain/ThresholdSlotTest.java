package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdSlotTest {

    @ParameterizedTest(name = "{0} in {1} is {2} {3}")
    @CsvSource({
        // A plain Wednesday afternoon in Chicago (CST, UTC-6).
        "2026-11-18T20:00:00Z, America/Chicago, WEDNESDAY, 14:00",
        "2026-11-18T20:30:00Z, America/Chicago, WEDNESDAY, 14:30",
        // US DST fall-back, Sunday 2026-11-01: 01:00 and 01:30 happen twice, first in CDT then in CST.
        "2026-11-01T06:00:00Z, America/Chicago, SUNDAY, 01:00",
        "2026-11-01T06:30:00Z, America/Chicago, SUNDAY, 01:30",
        "2026-11-01T07:00:00Z, America/Chicago, SUNDAY, 01:00",
        "2026-11-01T07:30:00Z, America/Chicago, SUNDAY, 01:30",
        "2026-11-01T08:00:00Z, America/Chicago, SUNDAY, 02:00",
        // US DST spring-forward, Sunday 2026-03-08: local 02:00-03:00 does not exist.
        "2026-03-08T07:30:00Z, America/Chicago, SUNDAY, 01:30",
        "2026-03-08T08:00:00Z, America/Chicago, SUNDAY, 03:00",
        // Asia/Kolkata is UTC+05:30: UTC half hours are local whole hours, and days turn at 18:30Z.
        "2026-11-18T08:30:00Z, Asia/Kolkata, WEDNESDAY, 14:00",
        "2026-11-18T09:00:00Z, Asia/Kolkata, WEDNESDAY, 14:30",
        "2026-11-18T18:00:00Z, Asia/Kolkata, WEDNESDAY, 23:30",
        "2026-11-18T18:30:00Z, Asia/Kolkata, THURSDAY, 00:00",
        // Asia/Kathmandu is UTC+05:45: the window start falls inside a local half hour.
        "2026-11-18T08:30:00Z, Asia/Kathmandu, WEDNESDAY, 14:00",
        // Days of week turn in the station's zone, not in UTC.
        "2026-11-19T05:30:00Z, America/Los_Angeles, WEDNESDAY, 21:30",
        "2026-11-19T05:30:00Z, UTC, THURSDAY, 05:30"
    })
    void aStationWindowTakesTheSlotOfItsStartInTheStationsZone(
            String windowStart, String zone, DayOfWeek day, LocalTime slotStart) {
        assertThat(ThresholdSlot.of(Instant.parse(windowStart), ZoneId.of(zone)))
                .isEqualTo(new ThresholdSlot(day, slotStart));
    }

    @ParameterizedTest
    @CsvSource({"14:15", "14:00:01", "14:59"})
    void aSlotStartsOnTheHourOrTheHalfHour(LocalTime start) {
        assertThatThrownBy(() -> new ThresholdSlot(DayOfWeek.MONDAY, start))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HH:00 or HH:30");
    }
}
