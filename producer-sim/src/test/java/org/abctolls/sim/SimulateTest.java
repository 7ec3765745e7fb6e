package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new Simulate())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void helpListsEveryScenarioSwitch() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--dead-sensors",
                        "--threshold-crossers",
                        "--duplicates",
                        "--out-of-order",
                        "--late",
                        "--malformed",
                        "--realtime",
                        "--rate",
                        "--hostile",
                        "--stream",
                        "--out",
                        "Exit codes");
    }

    @Test
    void needsSomewhereToSendTheEvents() {
        assertThat(run("--span", "PT1H")).isEqualTo(2);
        assertThat(err.toString()).contains("give --out DIR, --stream NAME, or both");
    }

    @Test
    void refusesOptionsOutsideTheirRange() {
        assertThat(run("--out", "x", "--duplicates", "1.5")).isEqualTo(2);
        assertThat(err.toString()).contains("duplicateFraction must be between 0 and 1, was 1.5");
    }

    @Test
    void writesTheSameFilesForTheSameSeed(@TempDir Path first, @TempDir Path second) throws IOException {
        String[] options = {"--span", "PT6H", "--stations", "4", "--customers", "200", "--all-scenarios", "--hostile"};

        assertThat(run(concat("--out", first.toString(), options))).isZero();
        assertThat(run(concat("--out", second.toString(), options))).isZero();

        for (String file : new String[] {
            "events.jsonl",
            "stations.csv",
            "station-thresholds.csv",
            "customers.csv",
            "oracle/monthly-totals.csv",
            "oracle/billing-alerts.jsonl",
            "oracle/low-traffic-alerts.jsonl",
            "oracle/summary.json"
        }) {
            assertThat(first.resolve(file)).exists().hasSameBinaryContentAs(second.resolve(file));
        }
        byte[] events = Files.readAllBytes(first.resolve("events.jsonl"));
        assertThat(new String(events, StandardCharsets.ISO_8859_1).split("\n")).hasSizeGreaterThan(100);
        assertThat(Files.readString(first.resolve("oracle/summary.json"))).contains("\"rejectedByProducer\":1,");
        assertThat(out.toString()).contains("1 over Kinesis' limit");
    }

    @Test
    void writesRealTimeEventsStampedWithTheWallClock(@TempDir Path dir) throws IOException {
        long before = System.currentTimeMillis();

        assertThat(run(
                        "--out",
                        dir.toString(),
                        "--realtime",
                        "--rate",
                        "200",
                        "--max-events",
                        "20",
                        "--duration",
                        "PT10S"))
                .isZero();

        assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(20).allSatisfy(line -> assertThat(
                        Instant.parse(line.replaceAll(".*\"eventTime\":\"([^\"]+)\".*", "$1"))
                                .toEpochMilli())
                .isGreaterThanOrEqualTo(before - 1));
    }

    @Test
    void aSecondRealTimeRunWithTheSameSeedSendsNewEventIds(@TempDir Path first, @TempDir Path second)
            throws IOException {
        String[] options = {"--realtime", "--rate", "200", "--max-events", "20", "--duration", "PT10S"};

        assertThat(run(concat("--out", first.toString(), options))).isZero();
        assertThat(run(concat("--out", second.toString(), options))).isZero();

        assertThat(eventIds(second)).hasSize(20).doesNotContainAnyElementsOf(eventIds(first));
    }

    private static Set<String> eventIds(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("events.jsonl")).stream()
                .map(line -> line.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1"))
                .collect(Collectors.toSet());
    }

    private static String[] concat(String flag, String value, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = flag;
        all[1] = value;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
