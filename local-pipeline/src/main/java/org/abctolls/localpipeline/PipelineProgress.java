package org.abctolls.localpipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.abctolls.sim.Oracle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A local run's state, as {@link LocalPipeline#progress} reads it for a progress line. */
public record PipelineProgress(
        long published,
        long publishRetries,
        boolean inputEnded,
        OptionalLong jobBehindMillis,
        Optional<Instant> watermark,
        int customerWindowTotals,
        int billingAlerts,
        int lowTrafficAlerts,
        Optional<LocalWarehouse.Progress> warehouse,
        Optional<Instant> newestEventSent) {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineProgress.class);

    /**
     * Hands {@code pipeline}'s progress to {@code report} every {@code interval} until closed.
     * With a fixed delay, not rate, so that a tick held up (a busy machine) is not made up in a
     * burst; a look that fails (the kit busy) skips one line, and the next tick tries again.
     */
    static AutoCloseable every(Duration interval, LocalPipeline pipeline, Consumer<PipelineProgress> report) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleWithFixedDelay(
                () -> {
                    try {
                        report.accept(pipeline.progress());
                    } catch (RuntimeException e) {
                        LOG.warn("no progress line this time", e);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return () -> {
            ticker.shutdownNow();
            // A tick under way ends before whatever follows is printed.
            ticker.awaitTermination(1, TimeUnit.MINUTES);
        };
    }

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** How far the newest passage in the warehouse is behind the newest sent, in event time. */
    public Optional<Duration> warehouseBehind() {
        return warehouse
                .flatMap(LocalWarehouse.Progress::newestPassage)
                .flatMap(loaded -> newestEventSent.map(sent -> Duration.between(loaded, sent)));
    }

    /** One line of progress, each figure beside what the oracle expects at the end. */
    public String line(Oracle.Result expected, Duration elapsed) {
        return line(
                elapsed,
                expected.records(),
                String.format(
                        Locale.ROOT,
                        " | billing alerts %3d/%d | low-traffic alerts %3d/%d",
                        billingAlerts,
                        expected.billingAlerts().size(),
                        lowTrafficAlerts,
                        expected.lowTrafficAlerts().size()),
                warehouseLine(expected));
    }

    /** One line of progress of a replay, which has no oracle: what has come out so far. */
    public String line(long records, Duration elapsed) {
        return line(
                elapsed,
                records,
                String.format(
                        Locale.ROOT, " | billing alerts %d | low-traffic alerts %d", billingAlerts, lowTrafficAlerts),
                warehouse
                        .map(loaded -> String.format(Locale.ROOT, "%,d passages", loaded.passages()))
                        .orElse("(none)"));
    }

    private String line(Duration elapsed, long records, String alerts, String warehouseLine) {
        return String.format(
                Locale.ROOT,
                "[%4ds] sent %,7d/%,d | job watermark %s, %s | customer windows %,6d%s | warehouse %s",
                elapsed.toSeconds(),
                published,
                records,
                inputEnded ? "end of input" : watermark.map(CLOCK::format).orElse("(none yet)"),
                inputEnded
                        ? "the drain closes every window"
                        : jobBehindMillis.isPresent()
                                ? "behind the stream " + jobBehindMillis.getAsLong() + " ms"
                                : "not reading yet",
                customerWindowTotals,
                alerts,
                warehouseLine);
    }

    /** Passages queryable, and how far the newest is behind the newest sent, in simulated (event) time. */
    private String warehouseLine(Oracle.Result expected) {
        if (warehouse.isEmpty()) {
            return "(none)";
        }
        return String.format(
                Locale.ROOT,
                "%,d/%,d passages, %s",
                warehouse.get().passages(),
                expected.distinctPassages(),
                warehouseBehind()
                        .map(behind -> "newest " + Math.max(0, behind.toMinutes()) + " min behind the stream")
                        .orElse("none loaded yet"));
    }
}
