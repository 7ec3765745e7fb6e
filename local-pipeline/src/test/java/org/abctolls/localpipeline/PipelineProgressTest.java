package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.abctolls.sim.Oracle;
import org.junit.jupiter.api.Test;

class PipelineProgressTest {

    private static final Oracle.Result EXPECTED =
            new Oracle.Result(List.of(), List.of(), List.of(), List.of(), 5_000, 4_800, 150, 40, List.of(), 1);
    private static final Instant MONDAY_NOON = Instant.parse("2026-11-02T12:00:00Z");

    @Test
    void beforeTheJobReadsTheLineSaysSoAndThatNothingIsLoaded() {
        PipelineProgress progress = new PipelineProgress(
                120,
                0,
                false,
                OptionalLong.empty(),
                Optional.empty(),
                0,
                0,
                0,
                Optional.of(new LocalWarehouse.Progress(0, Optional.empty())),
                Optional.of(MONDAY_NOON));

        assertThat(progress.line(EXPECTED, Duration.ofSeconds(5)))
                .isEqualTo("[   5s] sent     120/5,000 | job watermark (none yet), not reading yet | customer windows"
                        + "      0 | billing alerts   0/0 | low-traffic alerts   0/0 | warehouse 0/4,800 passages,"
                        + " none loaded yet");
    }

    @Test
    void whileRunningTheLineGivesTheWatermarkTheLagAndHowFarTheWarehouseIsBehind() {
        PipelineProgress progress = new PipelineProgress(
                3_000,
                2,
                false,
                OptionalLong.of(250),
                Optional.of(MONDAY_NOON.minus(Duration.ofMinutes(1))),
                1_234,
                7,
                3,
                Optional.of(new LocalWarehouse.Progress(2_500, Optional.of(MONDAY_NOON.minus(Duration.ofMinutes(20))))),
                Optional.of(MONDAY_NOON));

        assertThat(progress.warehouseBehind()).contains(Duration.ofMinutes(20));
        assertThat(progress.line(EXPECTED, Duration.ofSeconds(61)))
                .isEqualTo("[  61s] sent   3,000/5,000 | job watermark Mon 11:59, behind the stream 250 ms | customer"
                        + " windows  1,234 | billing alerts   7/0 | low-traffic alerts   3/0 | warehouse 2,500/4,800"
                        + " passages, newest 20 min behind the stream");
    }

    @Test
    void afterTheInputEndsTheLineSaysTheDrainClosesEveryWindowAndThereMayBeNoWarehouse() {
        PipelineProgress progress = new PipelineProgress(
                5_000,
                0,
                true,
                OptionalLong.of(0),
                Optional.of(MONDAY_NOON),
                2_000,
                9,
                4,
                Optional.empty(),
                Optional.of(MONDAY_NOON));

        assertThat(progress.line(EXPECTED, Duration.ofSeconds(200)))
                .contains("job watermark end of input, the drain closes every window")
                .endsWith("| warehouse (none)");
    }

    @Test
    void aReplaysLineHasNoOracleSoItGivesWhatHasComeOutSoFar() {
        PipelineProgress progress = new PipelineProgress(
                30_000,
                0,
                false,
                OptionalLong.of(400),
                Optional.of(MONDAY_NOON),
                12_345,
                6,
                2,
                Optional.of(new LocalWarehouse.Progress(29_000, Optional.of(MONDAY_NOON))),
                Optional.of(MONDAY_NOON));

        assertThat(progress.line(50_187, Duration.ofSeconds(300)))
                .isEqualTo("[ 300s] sent  30,000/50,187 | job watermark Mon 12:00, behind the stream 400 ms | customer"
                        + " windows 12,345 | billing alerts 6 | low-traffic alerts 2 | warehouse 29,000 passages");
    }
}
