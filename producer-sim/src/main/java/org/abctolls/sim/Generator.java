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
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import org.abctolls.domain.BillingMonth;
import org.abctolls.domain.Customer;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;

/** Draws a whole simulated run from its options; the same options give the same run. */
public final class Generator {

    static final Duration LATE_MIN_DELAY = Duration.ofHours(1);
    static final Duration LATE_MAX_EXTRA = Duration.ofHours(2);
    static final Duration DUPLICATE_MAX_DELAY = Duration.ofSeconds(10);

    /** Traffic a window must normally see to host an outage: enough that its threshold is well above zero. */
    private static final double BUSY_WINDOW_VEHICLES = 10;

    private Generator() {}

    public static Simulation generate(SimulationOptions options) {
        SplittableRandom random = new SplittableRandom(options.seed());
        TrafficModel model = TrafficModel.create(options, random.split());
        Set<String> crossers = pickCrossers(model, options.scenarios().thresholdCrossers());
        Map<String, TumblingWindow> deadSpans = deadSensorSpans(model, options, random.split());
        List<TollEvent> passages = passages(model, options, deadSpans, random.split());
        List<Emission> emissions = arrivals(passages, crossers, options, random.split());
        List<Customer> customers = customers(model, passages, crossers);
        SplittableRandom hostileRandom = random.split();
        if (options.scenarios().hostile()) {
            emissions =
                    HostileRecords.mixInto(emissions, passages, customers, deadSpans, model, options, hostileRandom);
        }
        return new Simulation(
                model.stations().stream().map(StationProfile::station).toList(),
                model.thresholds(),
                customers,
                emissions);
    }

    /** The heaviest drivers, so that each has enough passages to cross a threshold mid-run. */
    private static Set<String> pickCrossers(TrafficModel model, int count) {
        Set<String> crossers = new HashSet<>();
        model.customers().stream()
                .sorted(Comparator.comparingDouble(CustomerProfile::weight)
                        .reversed()
                        .thenComparing(CustomerProfile::customerId))
                .limit(count)
                .forEach(customer -> crossers.add(customer.customerId()));
        return crossers;
    }

    /**
     * A dead sensor is silent for two to four station windows, starting in a window where the
     * station normally sees traffic, so that the outage is what operators must hear about.
     */
    private static Map<String, TumblingWindow> deadSensorSpans(
            TrafficModel model, SimulationOptions options, SplittableRandom random) {
        Map<String, TumblingWindow> spans = new HashMap<>();
        List<StationProfile> candidates = new ArrayList<>(model.stations());
        for (int i = 0; i < options.scenarios().deadSensors(); i++) {
            StationProfile station = candidates.remove(random.nextInt(candidates.size()));
            List<TumblingWindow> busy = new ArrayList<>();
            for (TumblingWindow window = TumblingWindow.containing(options.start(), TumblingWindow.STATION);
                    window.end().isBefore(options.end());
                    window = window.next()) {
                if (model.expectedVehicles(station, window.start(), TumblingWindow.STATION) >= BUSY_WINDOW_VEHICLES) {
                    busy.add(window);
                }
            }
            if (busy.isEmpty()) {
                busy.add(TumblingWindow.containing(options.start(), TumblingWindow.STATION));
            }
            Instant silentFrom = busy.get(random.nextInt(busy.size())).start();
            int windows = 2 + random.nextInt(3);
            spans.put(
                    station.station().stationId(),
                    new TumblingWindow(silentFrom, silentFrom.plus(TumblingWindow.STATION.multipliedBy(windows))));
        }
        return spans;
    }

    private static List<TollEvent> passages(
            TrafficModel model,
            SimulationOptions options,
            Map<String, TumblingWindow> deadSpans,
            SplittableRandom random) {
        List<TollEvent> passages = new ArrayList<>();
        Duration minute = Duration.ofMinutes(1);
        long limit = options.traffic().maxEvents() > 0 ? options.traffic().maxEvents() : Long.MAX_VALUE;
        for (Instant at = options.start();
                at.isBefore(options.end()) && passages.size() < limit;
                at = at.plus(minute)) {
            List<TollEvent> thisMinute = new ArrayList<>();
            for (StationProfile station : model.stations()) {
                TumblingWindow silent = deadSpans.get(station.station().stationId());
                if (silent != null && silent.contains(at)) {
                    continue;
                }
                int count = poisson(model.expectedVehicles(station, at, minute), random);
                for (int i = 0; i < count; i++) {
                    thisMinute.add(model.passage(station, at.plusMillis(random.nextInt(60_000)), random));
                }
            }
            thisMinute.sort(Comparator.comparing(TollEvent::eventTime));
            passages.addAll(thisMinute.subList(0, (int) Math.min(thisMinute.size(), limit - passages.size())));
        }
        return passages;
    }

    /**
     * When each record reaches the stream. Very late passages are kept away from the
     * customers who cross their threshold and from the last hours of the run, so that which
     * window crosses a threshold, and which passages are late, is never a matter of timing.
     */
    private static List<Emission> arrivals(
            List<TollEvent> passages, Set<String> crossers, SimulationOptions options, SplittableRandom random) {
        record Timed(Emission emission, long sequence) {}
        List<Timed> timed = new ArrayList<>();
        Instant lateCutOff = options.end().minus(LATE_MIN_DELAY).minus(LATE_MAX_EXTRA);
        long sequence = 0;
        for (TollEvent passage : passages) {
            Instant arrival = passage.eventTime()
                    .plusMillis(random.nextLong(
                            options.scenarios().outOfOrderBound().toMillis() + 1));
            if (options.scenarios().lateFraction() > 0
                    && random.nextDouble() < options.scenarios().lateFraction()
                    && !crossers.contains(passage.customerId())
                    && passage.eventTime().isBefore(lateCutOff)) {
                arrival =
                        passage.eventTime().plus(LATE_MIN_DELAY).plusMillis(random.nextLong(LATE_MAX_EXTRA.toMillis()));
            }
            String raw = TollJson.write(passage);
            timed.add(new Timed(Emission.of(raw, passage.stationId(), arrival, Emission.Kind.PASSAGE), sequence++));
            if (options.scenarios().duplicateFraction() > 0
                    && random.nextDouble() < options.scenarios().duplicateFraction()) {
                Instant resent = arrival.plusMillis(random.nextLong(DUPLICATE_MAX_DELAY.toMillis()));
                timed.add(
                        new Timed(Emission.of(raw, passage.stationId(), resent, Emission.Kind.DUPLICATE), sequence++));
            }
            if (options.scenarios().malformedFraction() > 0
                    && random.nextDouble() < options.scenarios().malformedFraction()) {
                String broken = Malformations.corrupt(passage, TrafficModel.uuid(random), random);
                timed.add(new Timed(
                        Emission.of(broken, passage.stationId(), arrival, Emission.Kind.MALFORMED), sequence++));
            }
        }
        timed.sort(Comparator.comparing((Timed t) -> t.emission().arrival()).thenComparingLong(Timed::sequence));
        return timed.stream().map(Timed::emission).toList();
    }

    /**
     * Crossers get a threshold at 60% of their busiest month in the run, so they cross
     * mid-run; half the others get one far above their spending, half none at all.
     */
    private static List<Customer> customers(TrafficModel model, List<TollEvent> passages, Set<String> crossers) {
        Map<String, Map<YearMonth, Long>> spent = new HashMap<>();
        for (TollEvent passage : passages) {
            spent.computeIfAbsent(passage.customerId(), c -> new HashMap<>())
                    .merge(BillingMonth.of(passage.eventTime()), (long) passage.amountCents(), Long::sum);
        }
        List<Customer> customers = new ArrayList<>();
        int index = 0;
        for (CustomerProfile profile : model.customers()) {
            long busiestMonth = spent.getOrDefault(profile.customerId(), Map.of()).values().stream()
                    .mapToLong(Long::longValue)
                    .max()
                    .orElse(0);
            OptionalLong threshold;
            if (crossers.contains(profile.customerId())) {
                threshold = OptionalLong.of(Math.max(100, busiestMonth * 6 / 10 / 100 * 100));
            } else if (index++ % 2 == 0) {
                threshold = OptionalLong.of(Math.max(20_000, (busiestMonth * 3 / 1000 + 1) * 1000));
            } else {
                threshold = OptionalLong.empty();
            }
            customers.add(new Customer(profile.customerId(), threshold));
        }
        return customers;
    }

    private static int poisson(double mean, SplittableRandom random) {
        // Knuth's method: exact, and fast for the small per-minute means used here.
        double limit = Math.exp(-mean);
        int count = 0;
        double product = random.nextDouble();
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }
}
