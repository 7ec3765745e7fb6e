package org.abctolls.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;

/**
 * The simulator in real time: event time is the wall clock, and every 100 ms the passages due
 * at the rate are made, as the traffic model weighs stations and drivers at that moment, then
 * written and sent.
 */
final class RealtimeTraffic {

    private final double rate;
    private final Duration duration;
    private final long maxEvents;
    private final Path out;

    /**
     * @param maxEvents 0 for no limit
     * @param out where events.jsonl is written, or null
     */
    RealtimeTraffic(double rate, Duration duration, long maxEvents, Path out) {
        this.rate = rate;
        this.duration = duration;
        this.maxEvents = maxEvents;
        this.out = out;
    }

    /** Sends until the duration or the event limit is reached, whichever first; the publisher may be null. */
    Simulate.Run send(SimulationOptions options, KinesisPublisher publisher, PrintWriter console)
            throws InterruptedException, IOException {
        // The network and customers follow the seed, so the reference data written with it
        // matches; the passages do not: each run happens at its own wall-clock time, and a second
        // run with the same seed must not send the first run's event ids again (the job would
        // drop them as re-sends within the deduplication TTL).
        TrafficModel model = TrafficModel.create(options, new SplittableRandom(options.seed()).split());
        SplittableRandom random = new SplittableRandom();
        Duration tick = Duration.ofMillis(100);
        Instant startedAt = Instant.now();
        Instant endAt = startedAt.plus(duration);
        long limit = maxEvents > 0 ? maxEvents : Long.MAX_VALUE;
        long generated = 0;
        double carry = 0;
        OutputStream events = out == null ? null : openEventsFile();
        PublishStats stats = publisher == null ? new PublishStats() : publisher.stats();
        try (Progress progress =
                new Progress(console, stats, limit == Long.MAX_VALUE ? (long) (rate * duration.toSeconds()) : limit)) {
            for (Instant next = startedAt; next.isBefore(endAt) && generated < limit; next = next.plus(tick)) {
                long waitMillis = Duration.between(Instant.now(), next).toMillis();
                if (waitMillis > 0) {
                    Thread.sleep(waitMillis);
                }
                carry += rate * tick.toMillis() / 1000.0;
                int count = (int) Math.min(Math.floor(carry), limit - generated);
                carry -= count;
                List<Emission> batch = new ArrayList<>(count);
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                for (int i = 0; i < count; i++) {
                    TollEvent event = model.passageAt(now, random);
                    batch.add(Emission.of(TollJson.write(event), event.stationId(), now, Emission.Kind.PASSAGE));
                }
                generated += count;
                if (events != null) {
                    for (Emission emission : batch) {
                        RunFiles.writeLine(events, emission.data());
                    }
                }
                if (publisher != null) {
                    publisher.publish(batch);
                } else {
                    stats.sent.addAndGet(count);
                }
            }
            return new Simulate.Run(generated, progress.elapsed());
        } finally {
            if (events != null) {
                events.close();
            }
        }
    }

    private OutputStream openEventsFile() throws IOException {
        Files.createDirectories(out);
        return new BufferedOutputStream(Files.newOutputStream(
                out.resolve(RunFiles.EVENTS), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
    }
}
