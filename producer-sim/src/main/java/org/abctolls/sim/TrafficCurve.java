package org.abctolls.sim;

import java.time.DayOfWeek;
import java.time.LocalTime;

/**
 * How busy a toll road is at a local day and time, from 0 to 1 (the weekday morning peak):
 * commuter peaks on weekdays, a broad midday hump at weekends, quiet nights.
 */
final class TrafficCurve {

    private static final double NIGHT = 0.04;

    private TrafficCurve() {}

    static double factor(DayOfWeek day, LocalTime time) {
        double hour = time.toSecondOfDay() / 3600.0;
        boolean weekend = day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY;
        double level = weekend
                ? bump(hour, 13.5, 3.5, 0.55)
                : bump(hour, 8.0, 1.1, 0.96) + bump(hour, 17.25, 1.4, 0.86) + bump(hour, 12.5, 3.0, 0.38);
        if (day == DayOfWeek.FRIDAY) {
            level += bump(hour, 20.0, 2.0, 0.2);
        }
        return Math.min(1.0, NIGHT + level);
    }

    private static double bump(double hour, double centre, double width, double height) {
        double distance = (hour - centre) / width;
        return height * Math.exp(-0.5 * distance * distance);
    }
}
