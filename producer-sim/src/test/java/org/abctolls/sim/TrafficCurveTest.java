package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class TrafficCurveTest {

    private static double at(DayOfWeek day, int hour, int minute) {
        return TrafficCurve.factor(day, LocalTime.of(hour, minute));
    }

    @Test
    void weekdaysPeakAtTheMorningAndEveningRushAboveMiddayAndNight() {
        double morningPeak = at(DayOfWeek.WEDNESDAY, 8, 0);
        double eveningPeak = at(DayOfWeek.WEDNESDAY, 17, 15);
        double midday = at(DayOfWeek.WEDNESDAY, 12, 30);
        double night = at(DayOfWeek.WEDNESDAY, 3, 0);

        assertThat(morningPeak).isGreaterThan(0.9).isLessThanOrEqualTo(1.0);
        assertThat(eveningPeak).isGreaterThan(midday);
        assertThat(midday).isGreaterThan(night);
        assertThat(night).isLessThan(0.06).isPositive();
    }

    @Test
    void weekendsHaveOneBroadMiddayHumpBelowTheWeekdayPeak() {
        double saturdayNoon = at(DayOfWeek.SATURDAY, 13, 30);

        assertThat(saturdayNoon).isLessThan(at(DayOfWeek.MONDAY, 8, 0)).isGreaterThan(at(DayOfWeek.SATURDAY, 8, 0));
        assertThat(at(DayOfWeek.SUNDAY, 8, 0)).isLessThan(at(DayOfWeek.MONDAY, 8, 0) / 2);
    }

    @Test
    void fridayEveningsStayBusierThanOtherWeekdayEvenings() {
        assertThat(at(DayOfWeek.FRIDAY, 20, 0)).isGreaterThan(at(DayOfWeek.TUESDAY, 20, 0));
    }

    @Test
    void theCurveIsSmoothFromOneHalfHourToTheNext() {
        for (int minute = 30; minute < 24 * 60; minute += 30) {
            double before =
                    TrafficCurve.factor(DayOfWeek.THURSDAY, LocalTime.of((minute - 30) / 60, (minute - 30) % 60));
            double after = TrafficCurve.factor(DayOfWeek.THURSDAY, LocalTime.of(minute / 60, minute % 60));
            assertThat(Math.abs(after - before)).isLessThan(0.3);
        }
    }
}
