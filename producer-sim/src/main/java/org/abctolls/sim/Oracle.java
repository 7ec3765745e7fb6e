package org.abctolls.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.Customer;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.Station;
import org.abctolls.domain.StationThresholds;
import org.abctolls.domain.ThresholdSlot;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;

/**
 * What a correct pipeline outputs for a sequence of records, computed as a plain batch
 * pass over the whole input (contract sections 3 to 5), with nothing shared with the
 * streaming code but the contract's parser. Records over Kinesis' record limit never enter
 * the stream (the producer keeps them); every other record is read in arrival order, and an
 * event stamped more than the tolerance ahead of the reading clock is malformed.
 */
public final class Oracle {

    private Oracle() {}

    public record MonthlyTotal(String customerId, YearMonth month, long totalCents) {}

    /**
     * @param passages the distinct valid passages, each at its first sighting, in arrival order
     *     (what the warehouse's passages view must hold)
     * @param lateForStationPassages the passages late for their station window, in arrival order
     */
    public record Result(
            List<TollEvent> passages,
            List<MonthlyTotal> monthlyTotals,
            List<BillingThresholdAlert> billingAlerts,
            List<LowTrafficAlert> lowTrafficAlerts,
            long records,
            long distinctPassages,
            long duplicates,
            long malformed,
            List<TollEvent> lateForStationPassages,
            long rejectedByProducer) {

        /** How many passages were late for their station window. */
        public long lateForStations() {
            return lateForStationPassages.size();
        }
    }

    /**
     * What a correct pipeline reading a generated run now outputs, its records taken in
     * arrival order, with the contract's default tolerance for event times ahead of the clock.
     */
    public static Result of(Simulation simulation, Duration watermarkBound) {
        return compute(
                simulation.emissions(),
                simulation.stations(),
                new StationThresholds(simulation.thresholds()),
                simulation.customers(),
                watermarkBound,
                TollEventRules.latestAcceptableEventTime(Instant.now(), TollEventRules.DEFAULT_FUTURE_TOLERANCE));
    }

    /**
     * @param recordsInArrivalOrder the records as the producer sends them, in the order the stream delivers them
     * @param watermarkBound the out-of-orderness bound: a passage is late for its station
     *     window when, on arrival, earlier arrivals have pushed the watermark past the window's end
     * @param latestAcceptable the reading clock plus the tolerance: a later event time is malformed
     */
    public static Result compute(
            List<Emission> recordsInArrivalOrder,
            List<Station> stations,
            StationThresholds thresholds,
            List<Customer> customers,
            Duration watermarkBound,
            Instant latestAcceptable) {
        Set<String> seen = new HashSet<>();
        List<TollEvent> distinct = new ArrayList<>();
        Map<String, Map<TumblingWindow, Integer>> onTimeCounts = new HashMap<>();
        long malformed = 0;
        long duplicates = 0;
        List<TollEvent> late = new ArrayList<>();
        long rejectedByProducer = 0;
        Instant maxEventTime = null;
        for (Emission record : recordsInArrivalOrder) {
            if (!record.fitsAKinesisRecord()) {
                rejectedByProducer++;
                continue;
            }
            if (!(TollJson.parseTollEvent(record.data(), latestAcceptable)
                    instanceof TollEventParseResult.Valid valid)) {
                malformed++;
                continue;
            }
            TollEvent event = valid.event();
            if (!seen.add(event.eventId())) {
                duplicates++;
                continue;
            }
            distinct.add(event);
            TumblingWindow window = TumblingWindow.containing(event.eventTime(), TumblingWindow.STATION);
            boolean isLate = maxEventTime != null && !window.end().isAfter(maxEventTime.minus(watermarkBound));
            if (isLate) {
                late.add(event);
            } else {
                onTimeCounts
                        .computeIfAbsent(event.stationId(), s -> new HashMap<>())
                        .merge(window, 1, Integer::sum);
            }
            if (maxEventTime == null || event.eventTime().isAfter(maxEventTime)) {
                maxEventTime = event.eventTime();
            }
        }
        return new Result(
                List.copyOf(distinct),
                monthlyTotals(distinct),
                billingAlerts(distinct, customers),
                lowTrafficAlerts(distinct, maxEventTime, onTimeCounts, stations, thresholds),
                recordsInArrivalOrder.size(),
                distinct.size(),
                duplicates,
                malformed,
                List.copyOf(late),
                rejectedByProducer);
    }

    private static List<MonthlyTotal> monthlyTotals(List<TollEvent> passages) {
        Map<String, Map<YearMonth, Long>> totals = new TreeMap<>();
        for (TollEvent passage : passages) {
            totals.computeIfAbsent(passage.customerId(), c -> new TreeMap<>())
                    .merge(BillingMonth.of(passage.eventTime()), (long) passage.amountCents(), Long::sum);
        }
        List<MonthlyTotal> result = new ArrayList<>();
        totals.forEach((customer, months) ->
                months.forEach((month, cents) -> result.add(new MonthlyTotal(customer, month, cents))));
        return result;
    }

    /** Applies each customer's 10-minute window totals in window order, month by month. */
    private static List<BillingThresholdAlert> billingAlerts(List<TollEvent> passages, List<Customer> customers) {
        Map<String, TreeMap<TumblingWindow, Long>> windowTotals = new HashMap<>();
        Comparator<TumblingWindow> byStart = Comparator.comparing(TumblingWindow::start);
        for (TollEvent passage : passages) {
            windowTotals
                    .computeIfAbsent(passage.customerId(), c -> new TreeMap<>(byStart))
                    .merge(
                            TumblingWindow.containing(passage.eventTime(), TumblingWindow.BILLING),
                            (long) passage.amountCents(),
                            Long::sum);
        }
        List<BillingThresholdAlert> alerts = new ArrayList<>();
        for (Customer customer : customers) {
            if (customer.monthlyThresholdCents().isEmpty()) {
                continue;
            }
            long threshold = customer.monthlyThresholdCents().getAsLong();
            Map<YearMonth, Long> monthToDate = new HashMap<>();
            windowTotals.getOrDefault(customer.customerId(), new TreeMap<>()).forEach((window, cents) -> {
                YearMonth month = BillingMonth.of(window.start());
                long before = monthToDate.getOrDefault(month, 0L);
                long after = before + cents;
                monthToDate.put(month, after);
                if (before < threshold && after >= threshold) {
                    alerts.add(new BillingThresholdAlert(customer.customerId(), month, threshold, after, window.end()));
                }
            });
        }
        alerts.sort(BillingThresholdAlert.LISTING_ORDER);
        return alerts;
    }

    /**
     * Every station, for every window from the one holding the first passage read to the
     * last one that closes when the input ends, silent stations included.
     */
    private static List<LowTrafficAlert> lowTrafficAlerts(
            List<TollEvent> passagesInArrivalOrder,
            Instant maxEventTime,
            Map<String, Map<TumblingWindow, Integer>> onTimeCounts,
            List<Station> stations,
            StationThresholds thresholds) {
        List<LowTrafficAlert> alerts = new ArrayList<>();
        if (passagesInArrivalOrder.isEmpty()) {
            return alerts;
        }
        TumblingWindow last = TumblingWindow.containing(maxEventTime, TumblingWindow.STATION);
        for (TumblingWindow window =
                        TumblingWindow.containing(passagesInArrivalOrder.get(0).eventTime(), TumblingWindow.STATION);
                !window.start().isAfter(last.start());
                window = window.next()) {
            for (Station station : stations) {
                OptionalInt min = thresholds.minVehicles(
                        station.stationId(), ThresholdSlot.of(window.start(), station.timeZone()));
                int vehicles =
                        onTimeCounts.getOrDefault(station.stationId(), Map.of()).getOrDefault(window, 0);
                if (min.isPresent() && vehicles < min.getAsInt()) {
                    alerts.add(new LowTrafficAlert(
                            station.stationId(), window.start(), window.end(), vehicles, min.getAsInt()));
                }
            }
        }
        alerts.sort(LowTrafficAlert.LISTING_ORDER);
        return alerts;
    }
}
