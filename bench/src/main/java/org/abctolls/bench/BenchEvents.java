package org.abctolls.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.VehicleClass;

/**
 * The benchmarks' input: a stream of passages 100 ms apart over 100 stations and 20,000
 * customers, as the contract's JSON, one record per line, in a file every job reads the same way.
 */
final class BenchEvents {

    static final int STATIONS = 100;
    static final int CUSTOMERS = 20_000;
    static final Instant START = Instant.parse("2026-11-16T00:00:00Z");
    static final long SPACING_MILLIS = 100;

    private BenchEvents() {}

    static TollEvent nth(long i) {
        return new TollEvent(
                "bench-" + i,
                String.format(Locale.ROOT, "S%04d", 1 + i % STATIONS),
                1 + (int) (i % 4),
                String.format(Locale.ROOT, "T%07d", 1 + (i * 7919) % CUSTOMERS),
                String.format(Locale.ROOT, "C%07d", 1 + (i * 7919) % CUSTOMERS),
                VehicleClass.CAR,
                275,
                START.plusMillis(i * SPACING_MILLIS));
    }

    static Path write(long events) throws IOException {
        Path file = Files.createTempFile("abc-tolls-bench-", ".jsonl");
        file.toFile().deleteOnExit();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < events; i++) {
                out.write(TollJson.write(nth(i)));
                out.write('\n');
            }
        }
        return file;
    }

    /** Every station in the stations reference file, none with a low-traffic threshold. */
    static String stationsCsv() {
        StringBuilder csv = new StringBuilder("stationId,name,timeZone\n");
        for (int s = 1; s <= STATIONS; s++) {
            csv.append(String.format(Locale.ROOT, "S%04d,Plaza %d,America/Chicago%n", s, s));
        }
        return csv.toString();
    }
}
