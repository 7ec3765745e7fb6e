package org.abctolls.sim;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A live progress line on long runs: rewritten in place on a terminal, a line every few seconds in a log. */
final class Progress implements AutoCloseable {

    private final PrintWriter out;
    private final PublishStats stats;
    private final long total;
    private final long startedNanos = System.nanoTime();
    private final boolean terminal;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "progress");
        thread.setDaemon(true);
        return thread;
    });

    Progress(PrintWriter out, PublishStats stats, long total) {
        this.out = out;
        this.stats = stats;
        this.total = total;
        this.terminal = System.console() != null;
        long period = terminal ? 1 : 5;
        ticker.scheduleAtFixedRate(this::print, period, period, TimeUnit.SECONDS);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    double ratePerSecond() {
        double seconds = Math.max(1e-9, elapsed().toNanos() / 1e9);
        return stats.sent() / seconds;
    }

    private void print() {
        String line = String.format(
                "sent %,d/%,d  retried %,d  throttled %,d  failed %,d  %,.0f events/s",
                stats.sent(), total, stats.retried(), stats.throttled(), stats.failed(), ratePerSecond());
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (terminal) {
            out.println();
        }
        out.flush();
    }
}
