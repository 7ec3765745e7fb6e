package org.abctolls.sim;

import java.io.PrintWriter;
import java.util.Locale;

/** What a run sent to a stream, with how close it came to the stream's per-shard write limits. */
final class SendSummary {

    private SendSummary() {}

    /** Prints the summary; the exit code is 1 if a record could not be sent after every retry. */
    static int print(PrintWriter console, PublishStats stats, Simulate.Run run, String stream, int shards) {
        double seconds = Math.max(run.elapsed().toNanos() / 1e9, 1e-9);
        double recordsPerSecond = stats.sent() / seconds;
        double bytesPerSecond = stats.bytes() / seconds;
        console.printf(
                Locale.ROOT,
                "sent %,d of %,d records to %s in %.1f s: %,.0f events/s, %.2f MB/s; retried %,d, throttled %,d, failed %,d%n",
                stats.sent(),
                run.records(),
                stream,
                seconds,
                recordsPerSecond,
                bytesPerSecond / 1e6,
                stats.retried(),
                stats.throttled(),
                stats.failed());
        console.printf(
                Locale.ROOT,
                "per-shard write limits (%d shards): %.1f%% of 1,000 records/s, %.1f%% of 1 MiB/s%n",
                shards,
                100 * recordsPerSecond / (shards * 1000.0),
                100 * bytesPerSecond / (shards * 1024.0 * 1024.0));
        if (stats.failed() > 0) {
            console.printf(Locale.ROOT, "FAILED: %,d records could not be sent after every retry%n", stats.failed());
            return 1;
        }
        return 0;
    }
}
