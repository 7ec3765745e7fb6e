package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;
import org.abctolls.localkit.TopicQueues;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

class AlertLatencyTest {

    private static final Instant WALL = Instant.parse("2026-11-22T09:00:00Z");
    private static final Instant DAY = Instant.parse("2026-11-16T10:00:00Z");
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void aWindowClosesWhenTheFirstRecordABoundPastItsEndArrives() {
        List<Record> input = List.of(
                passage("a", DAY.plusSeconds(590), WALL),
                passage("b", DAY.plusSeconds(640), WALL.plusSeconds(1)),
                // Not past the window's end plus the bound (10:11:00): the watermark stays before 10:10.
                passage("c", DAY.plusSeconds(659), WALL.plusSeconds(2)),
                passage("d", DAY.plusSeconds(660), WALL.plusSeconds(3)),
                passage("e", DAY.plusSeconds(900), WALL.plusSeconds(4)));
        AlertLatency latency = new AlertLatency(input, BOUND, WALL.plusSeconds(60));

        assertThat(latency.closeOf(DAY.plusSeconds(600))).isEqualTo(WALL.plusSeconds(3));
    }

    @Test
    void aWindowNoRecordClosesClosesAtTheEndOfInput() {
        List<Record> input = List.of(passage("a", DAY, WALL));
        Instant endOfInput = WALL.plusSeconds(30);

        assertThat(new AlertLatency(input, BOUND, endOfInput).closeOf(DAY.plusSeconds(600)))
                .isEqualTo(endOfInput);
    }

    @Test
    void aReSentEventIdDoesNotMoveTheWatermark() {
        List<Record> input = List.of(
                passage("a", DAY.plusSeconds(590), WALL),
                passage("a", DAY.plusSeconds(3_600), WALL.plusSeconds(1)),
                passage("b", DAY.plusSeconds(660), WALL.plusSeconds(2)));

        assertThat(new AlertLatency(input, BOUND, WALL.plusSeconds(60)).closeOf(DAY.plusSeconds(600)))
                .isEqualTo(WALL.plusSeconds(2));
    }

    @Test
    void malformedRecordsDoNotMoveTheWatermark() {
        Record malformed = Record.builder()
                .data(SdkBytes.fromUtf8String("{\"eventTime\":\"2026-11-16T11:00:00Z\"}"))
                .approximateArrivalTimestamp(WALL)
                .build();
        AlertLatency latency = new AlertLatency(
                List.of(malformed, passage("a", DAY.plusSeconds(700), WALL.plusSeconds(5))),
                BOUND,
                WALL.plusSeconds(60));

        assertThat(latency.closeOf(DAY.plusSeconds(600))).isEqualTo(WALL.plusSeconds(5));
    }

    @Test
    void summarizesFromEachWindowsCloseToTheAlertsArrivalWithNearestRankPercentiles() {
        List<Record> input = List.of(passage("a", DAY.plusSeconds(3_600), WALL));
        AlertLatency latency = new AlertLatency(input, BOUND, WALL.plusSeconds(100));
        List<TopicQueues.Received> alerts = List.of(
                new TopicQueues.Received("600", WALL.plusSeconds(2)),
                new TopicQueues.Received("1200", WALL.plusSeconds(4)),
                new TopicQueues.Received("1800", WALL.plusSeconds(9)));

        AlertLatency.Summary summary = latency.summarize(alerts, body -> DAY.plusSeconds(Long.parseLong(body)));

        assertThat(summary)
                .isEqualTo(new AlertLatency.Summary(
                        3, Duration.ofSeconds(4), Duration.ofSeconds(9), Duration.ofSeconds(9)));
    }

    private static Record passage(String id, Instant eventTime, Instant arrival) {
        TollEvent event = new TollEvent(id, "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, 100, eventTime);
        return Record.builder()
                .data(SdkBytes.fromUtf8String(TollJson.write(event)))
                .approximateArrivalTimestamp(arrival)
                .build();
    }
}
