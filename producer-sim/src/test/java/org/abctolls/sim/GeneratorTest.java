package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    private static final SimulationOptions SMALL_DAY =
            SimulationOptions.defaults().withTraffic(SimulationOptions.DEFAULT_START, Duration.ofDays(1), 6, 400, 120);

    private static List<Emission> of(List<Emission> emissions, Emission.Kind kind) {
        return emissions.stream().filter(e -> e.kind() == kind).toList();
    }

    private static TollEvent event(Emission emission) {
        return ((TollEventParseResult.Valid) TollJson.parseTollEvent(emission.data(), Instant.MAX)).event();
    }

    private static Oracle.Result oracle(Simulation simulation, SimulationOptions options) {
        return Oracle.of(simulation, options.watermarkBound());
    }

    @Test
    void theSameOptionsGiveTheSameRunAndAnotherSeedAnotherRun() {
        Simulation first = Generator.generate(SMALL_DAY);
        Simulation again = Generator.generate(SMALL_DAY);
        Simulation otherSeed = Generator.generate(SMALL_DAY.withSeed(43));

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed.emissions()).isNotEqualTo(first.emissions());
    }

    @Test
    void withoutScenariosEveryRecordIsAValidDistinctPassageInEventTimeOrder() {
        List<Emission> emissions = Generator.generate(SMALL_DAY).emissions();

        assertThat(emissions).isNotEmpty().allMatch(e -> e.kind() == Emission.Kind.PASSAGE);
        List<TollEvent> events = emissions.stream().map(GeneratorTest::event).toList();
        assertThat(events).extracting(TollEvent::eventId).doesNotHaveDuplicates();
        assertThat(events).extracting(TollEvent::eventTime).isSorted();
        assertThat(events).allSatisfy(e -> assertThat(e.eventTime())
                .isBetween(SMALL_DAY.start(), SMALL_DAY.end().minusMillis(1)));
        assertThat(emissions).allSatisfy(e -> assertThat(e.partitionKey()).isEqualTo(event(e).stationId()));
    }

    @Test
    void trafficFollowsTheDailyCurveInEachStationsZone() {
        List<TollEvent> events = Generator.generate(
                        SMALL_DAY.withTraffic(SMALL_DAY.traffic().withExtraZones(List.of(ZoneId.of("Asia/Kolkata")))))
                .emissions()
                .stream()
                .map(GeneratorTest::event)
                .toList();
        Map<Integer, Long> byLocalHour = events.stream()
                .collect(Collectors.groupingBy(
                        e -> e.eventTime().atZone(zoneOf(e)).getHour(), Collectors.counting()));

        assertThat(byLocalHour.getOrDefault(8, 0L)).isGreaterThan(5 * byLocalHour.getOrDefault(3, 0L));
        assertThat(byLocalHour.getOrDefault(17, 0L)).isGreaterThan(byLocalHour.getOrDefault(12, 0L));
    }

    private static ZoneId zoneOf(TollEvent event) {
        int index = Integer.parseInt(event.stationId().substring(1)) - 1;
        List<ZoneId> zones = new ArrayList<>(TrafficModel.US_ZONES);
        zones.add(ZoneId.of("Asia/Kolkata"));
        return zones.get(index % zones.size());
    }

    @Test
    void aFewCommutersDriveMuchMoreThanMostCustomers() {
        List<TollEvent> events = Generator.generate(SMALL_DAY).emissions().stream()
                .map(GeneratorTest::event)
                .toList();
        Map<String, Long> passagesPerCustomer =
                events.stream().collect(Collectors.groupingBy(TollEvent::customerId, Collectors.counting()));
        List<Long> sorted = passagesPerCustomer.values().stream().sorted().toList();
        long topQuarter = sorted.subList(sorted.size() * 3 / 4, sorted.size()).stream()
                .mapToLong(Long::longValue)
                .sum();

        assertThat((double) topQuarter / events.size()).isGreaterThan(0.6);
    }

    @Test
    void aDeadSensorSilencesItsStationForWholeWindowsAndTheOracleAlertsOnThem() {
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(1, 0, 0, Duration.ZERO, 0, 0, false));
        Simulation simulation = Generator.generate(options);
        Oracle.Result withDeadSensor = oracle(simulation, options);
        Oracle.Result healthy = oracle(Generator.generate(SMALL_DAY), SMALL_DAY);

        List<String> silentAlerts = withDeadSensor.lowTrafficAlerts().stream()
                .filter(alert -> alert.vehicles() == 0)
                .map(alert -> alert.stationId() + "@" + alert.windowStart())
                .toList();
        assertThat(silentAlerts).hasSizeBetween(2, 4);
        assertThat(silentAlerts.stream().map(a -> a.substring(0, 5)).distinct()).hasSize(1);
        assertThat(healthy.lowTrafficAlerts()).noneMatch(alert -> alert.vehicles() == 0 && alert.minVehicles() > 8);
    }

    @Test
    void thresholdCrossersEachCrossOnceMidRunAndNobodyElseDoes() {
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(0, 5, 0, Duration.ZERO, 0, 0, false));
        Simulation simulation = Generator.generate(options);
        Oracle.Result oracle = oracle(simulation, options);

        assertThat(oracle.billingAlerts()).hasSize(5);
        assertThat(oracle.billingAlerts())
                .allSatisfy(alert -> assertThat(alert.crossedInWindowEnd()).isBefore(options.end()));
        assertThat(oracle.billingAlerts())
                .extracting(alert -> alert.customerId())
                .doesNotHaveDuplicates();
        assertThat(simulation.customers())
                .anyMatch(c -> c.monthlyThresholdCents().isEmpty());
    }

    @Test
    void duplicatesAreExactReSendsThatArriveAfterTheirOriginal() {
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(0, 0, 0.05, Duration.ZERO, 0, 0, false));
        List<Emission> emissions = Generator.generate(options).emissions();
        List<Emission> duplicates = of(emissions, Emission.Kind.DUPLICATE);
        Map<String, Integer> firstPosition = new HashMap<>();
        for (int i = 0; i < emissions.size(); i++) {
            firstPosition.putIfAbsent(emissions.get(i).text(), i);
        }

        assertThat(duplicates).isNotEmpty();
        assertThat(duplicates).allSatisfy(d -> {
            int original = firstPosition.get(d.text());
            assertThat(emissions.get(original).kind()).isEqualTo(Emission.Kind.PASSAGE);
            assertThat(emissions.indexOf(d)).isGreaterThanOrEqualTo(original);
        });
        assertThat(oracle(Generator.generate(options), options).duplicates()).isEqualTo(duplicates.size());
    }

    @Test
    void outOfOrderPassagesArriveWithinTheBoundAndNoneIsLate() {
        Duration bound = Duration.ofSeconds(30);
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(0, 0, 0, bound, 0, 0, false));
        List<Emission> emissions = Generator.generate(options).emissions();
        List<Instant> eventTimes =
                emissions.stream().map(e -> event(e).eventTime()).toList();

        assertThat(emissions).allSatisfy(e -> assertThat(Duration.between(event(e).eventTime(), e.arrival()))
                .isBetween(Duration.ZERO, bound));
        assertThat(eventTimes).isNotEqualTo(eventTimes.stream().sorted().toList());
        assertThat(oracle(Generator.generate(options), options).lateForStations())
                .isZero();
    }

    @Test
    void latePassagesArriveHoursLateAreLateForTheirStationAndStillBilled() {
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(0, 0, 0, Duration.ZERO, 0.01, 0, false));
        Simulation simulation = Generator.generate(options);
        List<Emission> late = simulation.emissions().stream()
                .filter(e ->
                        Duration.between(event(e).eventTime(), e.arrival()).compareTo(Generator.LATE_MIN_DELAY) >= 0)
                .toList();
        Oracle.Result oracle = oracle(simulation, options);
        Oracle.Result onTime = oracle(Generator.generate(SMALL_DAY), SMALL_DAY);

        assertThat(late).isNotEmpty();
        assertThat(oracle.lateForStations()).isEqualTo(late.size());
        assertThat(oracle.monthlyTotals()).isEqualTo(onTime.monthlyTotals());
    }

    @Test
    void malformedRecordsAreExtraRecordsThatAllBreakTheContract() {
        SimulationOptions options =
                SMALL_DAY.withScenarios(new SimulationOptions.Scenarios(0, 0, 0, Duration.ZERO, 0, 0.02, false));
        Simulation simulation = Generator.generate(options);
        List<Emission> malformed = of(simulation.emissions(), Emission.Kind.MALFORMED);

        assertThat(malformed).isNotEmpty().allSatisfy(m -> assertThat(TollJson.parseTollEvent(m.data(), Instant.MAX))
                .isInstanceOf(TollEventParseResult.Malformed.class));
        assertThat(of(simulation.emissions(), Emission.Kind.PASSAGE))
                .hasSameSizeAs(Generator.generate(SMALL_DAY).emissions());
        assertThat(oracle(simulation, options).malformed()).isEqualTo(malformed.size());
    }

    @Test
    void theReferenceDataMatchesTheModel() {
        Simulation simulation = Generator.generate(SMALL_DAY);
        Set<String> stationIds =
                simulation.stations().stream().map(s -> s.stationId()).collect(Collectors.toSet());

        assertThat(simulation.stations()).hasSize(6);
        assertThat(simulation.customers()).hasSize(400);
        assertThat(simulation.thresholds()).isNotEmpty().allMatch(t -> stationIds.contains(t.stationId()));
        assertThat(simulation.stations())
                .extracting(s -> s.timeZone().getId())
                .contains("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles");
    }

    @Test
    void hostileRecordsArriveInTwoBlocksAroundMiddayAndTheOracleRejectsOrBillsEachAsTheContractSays() {
        SimulationOptions options = SMALL_DAY.withScenarios(SimulationOptions.Scenarios.ALL.withHostile(true));
        Simulation hostile = Generator.generate(options);
        Simulation ordinary = Generator.generate(SMALL_DAY.withScenarios(SimulationOptions.Scenarios.ALL));
        Instant midday = SimulationOptions.DEFAULT_START.plus(Duration.ofHours(12));

        List<Emission> added = new ArrayList<>(hostile.emissions());
        ordinary.emissions().forEach(added::remove);
        assertThat(added).hasSize(10);
        assertThat(added.subList(0, 6)).allMatch(e -> e.arrival().equals(midday.minusMillis(1)));
        assertThat(added.subList(6, 10)).allMatch(e -> e.arrival().equals(midday));
        assertThat(hostile.emissions().indexOf(added.get(0))).isEqualTo((int) ordinary.emissions().stream()
                .filter(e -> e.arrival().isBefore(midday))
                .count());
        assertThat(added)
                .extracting(Emission::kind)
                .containsExactly(
                        Emission.Kind.MALFORMED,
                        Emission.Kind.MALFORMED,
                        Emission.Kind.MALFORMED,
                        Emission.Kind.OVERSIZED,
                        Emission.Kind.PASSAGE,
                        Emission.Kind.PASSAGE,
                        Emission.Kind.PASSAGE,
                        Emission.Kind.PASSAGE,
                        Emission.Kind.PASSAGE,
                        Emission.Kind.DUPLICATE);
        assertThat(added.get(0).text()).doesNotContain("ü");
        assertThat(added.get(1).data()).hasSize(HostileRecords.CONTROL_CHARACTERS);
        assertThat(added.get(3).kinesisSize()).isGreaterThan(1024 * 1024);
        assertThat(event(added.get(4)).eventTime()).isEqualTo(midday.minus(HostileRecords.VERY_LATE));
        assertThat(event(added.get(5)).customerId())
                .isEqualTo(event(added.get(7)).customerId());
        assertThat(event(added.get(9)).eventTime()).isEqualTo(midday.plus(HostileRecords.RESENT_AHEAD));

        Oracle.Result withHostile = oracle(hostile, options);
        Oracle.Result without = Oracle.of(ordinary, options.watermarkBound());
        assertThat(withHostile.malformed()).isEqualTo(without.malformed() + 3);
        assertThat(withHostile.rejectedByProducer()).isEqualTo(1);
        assertThat(withHostile.duplicates()).isEqualTo(without.duplicates() + 1);
        assertThat(withHostile.distinctPassages()).isEqualTo(without.distinctPassages() + 5);
        assertThat(withHostile.lateForStations()).isEqualTo(without.lateForStations() + 5);
        assertThat(withHostile.billingAlerts()).isEqualTo(without.billingAlerts());
        assertThat(Generator.generate(options).emissions()).isEqualTo(hostile.emissions());
    }

    @Test
    void maxEventsBoundsTheRun() {
        assertThat(Generator.generate(SMALL_DAY.withTraffic(SMALL_DAY.traffic().withMaxEvents(100)))
                        .emissions())
                .hasSize(100);
    }
}
