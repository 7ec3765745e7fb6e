package org.abctolls.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.abctolls.domain.Customer;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;

/**
 * What a hostile world sends, mixed into a simulated run at its midpoint (contract sections 1
 * and 5): one block of records arrives just before midday and one just after, so that a test
 * can stop the analytics job at midday and restore it between the two.
 *
 * <p>Before midday:
 * <ul>
 *   <li>a passage whose bytes are not UTF-8 (a station name in Latin-1);
 *   <li>a record of 200,000 control characters, whose dead letter would be 1.2 MB of JSON;
 *   <li>a passage stamped 2099-06-01T12:00:00Z, from a transceiver with a broken clock;
 *   <li>a valid passage of 1.1 MB (one padding field), over Kinesis' record limit;
 *   <li>a passage 30 hours late, later than any window stays open;
 *   <li>a late passage into a customer's billing window that has already been billed.
 * </ul>
 * After midday:
 * <ul>
 *   <li>another passage 30 hours late, for another customer;
 *   <li>a later late passage into the same billing window;
 *   <li>a late passage for a station window closed an hour or more ago (a dead sensor's silent
 *       window when there is one), which must not change its low-traffic alert;
 *   <li>an event id seen before, with other content (another amount, stamped two hours after
 *       midday, ahead of every passage): the first sighting is the passage, and the re-send
 *       does not move the watermark.
 * </ul>
 * The late passages belong to customers without a threshold, so that when they are billed
 * never changes which window crosses a threshold.
 */
final class HostileRecords {

    static final Duration VERY_LATE = Duration.ofHours(30);

    /**
     * How far after midday the re-send is stamped: ahead of every passage. Valid when the run is
     * read after that, as a replay or the demo's past day is; read in real time it is ahead of
     * the clock, and malformed for the pipeline and the oracle alike.
     */
    static final Duration RESENT_AHEAD = Duration.ofHours(2);

    static final int CONTROL_CHARACTERS = 200_000;
    static final int OVERSIZED_BYTES = 1_100_000;
    static final Instant BROKEN_CLOCK = Instant.parse("2099-06-01T12:00:00Z");

    /** How far before midday a late passage's billing window may lie, so it is late but still open. */
    private static final Duration REVISED_WINDOW_RANGE = Duration.ofHours(12);

    private final TrafficModel model;
    private final List<String> customersWithoutThreshold;
    private final SplittableRandom random;

    private HostileRecords(TrafficModel model, List<Customer> customers, SplittableRandom random) {
        this.model = model;
        this.customersWithoutThreshold = customers.stream()
                .filter(customer -> customer.monthlyThresholdCents().isEmpty())
                .map(Customer::customerId)
                .toList();
        this.random = random;
        if (customersWithoutThreshold.isEmpty()) {
            throw new IllegalArgumentException("hostile records need a customer without a threshold");
        }
    }

    /**
     * @param arrivals the run's records in arrival order
     * @param deadSensorSpans each dead sensor's silent span, by station id
     * @return the same records with both hostile blocks inserted at the first arrival at or after midday
     */
    static List<Emission> mixInto(
            List<Emission> arrivals,
            List<TollEvent> passages,
            List<Customer> customers,
            Map<String, TumblingWindow> deadSensorSpans,
            TrafficModel model,
            SimulationOptions options,
            SplittableRandom random) {
        Instant midday = midday(options);
        int at = 0;
        while (at < arrivals.size() && arrivals.get(at).arrival().isBefore(midday)) {
            at++;
        }
        HostileRecords hostile = new HostileRecords(model, customers, random);
        List<Emission> mixed = new ArrayList<>(arrivals.subList(0, at));
        mixed.addAll(hostile.blocks(arrivals.subList(0, at), passages, deadSensorSpans, options, midday));
        mixed.addAll(arrivals.subList(at, arrivals.size()));
        return mixed;
    }

    /** Where the two blocks meet: half way through the run. */
    static Instant midday(SimulationOptions options) {
        return options.start().plus(options.traffic().span().dividedBy(2));
    }

    private List<Emission> blocks(
            List<Emission> beforeMidday,
            List<TollEvent> passages,
            Map<String, TumblingWindow> deadSensorSpans,
            SimulationOptions options,
            Instant midday) {
        Instant justBefore = midday.minusMillis(1);
        TollEvent billed = passageToRevise(passages, midday);
        List<Emission> blocks = new ArrayList<>();

        TollEvent latin1 = freshPassage(midday.minusSeconds(2));
        String latin1Json = TollJson.write(latin1).replace("}", ",\"note\":\"Zürich\"}");
        blocks.add(new Emission(
                latin1Json.getBytes(StandardCharsets.ISO_8859_1),
                latin1.stationId(),
                justBefore,
                Emission.Kind.MALFORMED));
        blocks.add(Emission.of(
                "\u0001".repeat(CONTROL_CHARACTERS), latin1.stationId(), justBefore, Emission.Kind.MALFORMED));
        TollEvent brokenClock = freshPassage(BROKEN_CLOCK);
        blocks.add(
                Emission.of(TollJson.write(brokenClock), brokenClock.stationId(), justBefore, Emission.Kind.MALFORMED));
        TollEvent padded = freshPassage(midday.minusSeconds(1));
        String paddedJson =
                TollJson.write(padded).replace("}", ",\"padding\":\"" + "x".repeat(OVERSIZED_BYTES) + "\"}");
        blocks.add(Emission.of(paddedJson, padded.stationId(), justBefore, Emission.Kind.OVERSIZED));
        blocks.add(passage(freshPassage(midday.minus(VERY_LATE)), justBefore));
        blocks.add(passage(anotherPassageLike(billed), justBefore));

        blocks.add(passage(freshPassage(midday.minus(VERY_LATE).minusSeconds(90)), midday));
        blocks.add(passage(anotherPassageLike(billed), midday));
        blocks.add(passage(passageInClosedStationWindow(deadSensorSpans, options, midday), midday));
        blocks.add(sameIdOtherContent(beforeMidday, midday));
        return blocks;
    }

    /** A passage of a customer without a threshold, billed in a window that closed a while before midday. */
    private TollEvent passageToRevise(List<TollEvent> passages, Instant midday) {
        Instant from = midday.minus(REVISED_WINDOW_RANGE);
        Instant until = midday.minus(Duration.ofHours(1));
        List<TollEvent> candidates = passages.stream()
                .filter(passage -> customersWithoutThreshold.contains(passage.customerId()))
                .filter(passage -> !passage.eventTime().isBefore(from)
                        && passage.eventTime().isBefore(until))
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException(
                    "hostile records need a passage of a customer without a threshold in the 12 hours before midday");
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Another passage of the same customer through the same station in the same billing window. */
    private TollEvent anotherPassageLike(TollEvent billed) {
        return new TollEvent(
                TrafficModel.uuid(random),
                billed.stationId(),
                billed.laneId(),
                billed.transceiverId(),
                billed.customerId(),
                billed.vehicleClass(),
                billed.amountCents(),
                billed.eventTime());
    }

    /**
     * A passage for a station window closed at least an hour before midday: a dead sensor's
     * first silent window when it lies there, else a window six hours back.
     */
    private TollEvent passageInClosedStationWindow(
            Map<String, TumblingWindow> deadSensorSpans, SimulationOptions options, Instant midday) {
        Instant latest = midday.minus(Duration.ofHours(1));
        for (Map.Entry<String, TumblingWindow> dead : deadSensorSpans.entrySet()) {
            Instant silent = dead.getValue().start();
            if (silent.isBefore(latest) && !silent.isBefore(midday.minus(REVISED_WINDOW_RANGE))) {
                return freshPassage(station(dead.getKey()), silent.plusSeconds(60));
            }
        }
        Instant sixHoursBack = midday.minus(Duration.ofHours(6));
        return freshPassage(sixHoursBack.isBefore(options.start()) ? options.start() : sixHoursBack);
    }

    /**
     * The event id of a passage sent before midday, with another amount, stamped {@link
     * #RESENT_AHEAD} after midday: a producer bug, not a passage, so it must not move the
     * watermark either.
     */
    private Emission sameIdOtherContent(List<Emission> beforeMidday, Instant midday) {
        List<Emission> sent = beforeMidday.stream()
                .filter(emission -> emission.kind() == Emission.Kind.PASSAGE)
                .toList();
        Emission original = sent.get(random.nextInt(sent.size()));
        String json = replaceValue(original.text(), "amountCents", cents -> {
            int amount = Integer.parseInt(cents);
            return Integer.toString(amount == 0 ? 5 : amount - 5);
        });
        String later = replaceValue(json, "eventTime", time -> "\"" + midday.plus(RESENT_AHEAD) + "\"");
        return Emission.of(later, original.partitionKey(), midday, Emission.Kind.DUPLICATE);
    }

    /** The canonical JSON with one field's value (its text up to the next comma or the end) replaced. */
    private static String replaceValue(String json, String field, UnaryOperator<String> replace) {
        String name = "\"" + field + "\":";
        int from = json.indexOf(name) + name.length();
        int to = json.indexOf(',', from);
        if (to < 0) {
            to = json.lastIndexOf('}');
        }
        return json.substring(0, from) + replace.apply(json.substring(from, to)) + json.substring(to);
    }

    private TollEvent freshPassage(Instant eventTime) {
        return freshPassage(model.stations().get(random.nextInt(model.stations().size())), eventTime);
    }

    private TollEvent freshPassage(StationProfile station, Instant eventTime) {
        String customerId = customersWithoutThreshold.get(random.nextInt(customersWithoutThreshold.size()));
        CustomerProfile customer = model.customers().stream()
                .filter(profile -> profile.customerId().equals(customerId))
                .findFirst()
                .orElseThrow();
        return model.passage(station, eventTime, customer, random);
    }

    private StationProfile station(String stationId) {
        return model.stations().stream()
                .filter(profile -> profile.station().stationId().equals(stationId))
                .findFirst()
                .orElseThrow();
    }

    private static Emission passage(TollEvent passage, Instant arrival) {
        return Emission.of(TollJson.write(passage), passage.stationId(), arrival, Emission.Kind.PASSAGE);
    }
}
