package org.abctolls.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SendSummaryTest {

    @Test
    void givesTheRateAndTheShareOfEachShardsWriteLimitsAndSucceedsWhenNothingFailed() {
        PublishStats stats = new PublishStats();
        stats.sent.set(4_000);
        stats.bytes.set(1_048_576);
        stats.retried.set(12);
        StringWriter printed = new StringWriter();

        int exitCode = SendSummary.print(
                new PrintWriter(printed, true),
                stats,
                new Simulate.Run(4_000, Duration.ofSeconds(2)),
                "toll-events",
                2);

        assertThat(exitCode).isZero();
        assertThat(printed.toString())
                .contains("sent 4,000 of 4,000 records to toll-events in 2.0 s: 2,000 events/s, 0.52 MB/s;"
                        + " retried 12, throttled 0, failed 0")
                .contains("per-shard write limits (2 shards): 100.0% of 1,000 records/s, 25.0% of 1 MiB/s")
                .doesNotContain("FAILED");
    }

    @Test
    void failsWhenARecordCouldNotBeSentAfterEveryRetry() {
        PublishStats stats = new PublishStats();
        stats.sent.set(999);
        stats.failed.set(1);
        StringWriter printed = new StringWriter();

        int exitCode = SendSummary.print(
                new PrintWriter(printed, true),
                stats,
                new Simulate.Run(1_000, Duration.ofSeconds(1)),
                "toll-events",
                1);

        assertThat(exitCode).isEqualTo(1);
        assertThat(printed.toString()).contains("FAILED: 1 records could not be sent after every retry");
    }
}
