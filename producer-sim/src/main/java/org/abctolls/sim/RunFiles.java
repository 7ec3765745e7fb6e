package org.abctolls.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.PassagesCsv;
import org.abctolls.domain.ReferenceData;
import org.abctolls.domain.TollJson;

/**
 * The files of a run, in the contract's formats: {@code events.jsonl} (arrival order), the
 * reference data, and under {@code oracle/} what a correct pipeline must output.
 */
public final class RunFiles {

    public static final String EVENTS = "events.jsonl";
    public static final String ORACLE = "oracle";

    private RunFiles() {}

    /** One record per line, each exactly its bytes (a hostile record may not be UTF-8). */
    public static void writeEvents(Path dir, List<Emission> emissions) {
        Path file = dir.resolve(EVENTS);
        try {
            Files.createDirectories(dir);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                for (Emission emission : emissions) {
                    writeLine(out, emission.data());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Appends one record as a line of a JSON Lines file. */
    public static void writeLine(OutputStream out, byte[] record) throws IOException {
        for (byte b : record) {
            if (b == '\n') {
                throw new IllegalArgumentException("a record holding a line break cannot be one line of a file");
            }
        }
        out.write(record);
        out.write('\n');
    }

    /** Dead letters, one JSON object per line. */
    public static void writeRejected(Path file, List<DeadLetter> rejected) {
        writeLines(file, rejected, letter -> letter.toJson(DeadLetter.KINESIS_RECORD_LIMIT));
    }

    public static void writeReferenceData(Path dir, Simulation simulation) {
        write(dir.resolve(ReferenceData.STATIONS_FILE), w -> ReferenceData.writeStations(w, simulation.stations()));
        write(
                dir.resolve(ReferenceData.STATION_THRESHOLDS_FILE),
                w -> ReferenceData.writeStationThresholds(w, simulation.thresholds()));
        write(dir.resolve(ReferenceData.CUSTOMERS_FILE), w -> ReferenceData.writeCustomers(w, simulation.customers()));
    }

    public static void writeOracle(Path dir, Oracle.Result oracle) {
        Path out = dir.resolve(ORACLE);
        write(out.resolve("monthly-totals.csv"), w -> {
            w.write("customerId,month,totalCents\n");
            for (Oracle.MonthlyTotal total : oracle.monthlyTotals()) {
                w.write(total.customerId() + "," + total.month() + "," + total.totalCents() + "\n");
            }
        });
        write(out.resolve(PassagesCsv.FILE), w -> PassagesCsv.write(w, oracle.passages()));
        writeLines(out.resolve("billing-alerts.jsonl"), oracle.billingAlerts(), TollJson::write);
        writeLines(out.resolve("low-traffic-alerts.jsonl"), oracle.lowTrafficAlerts(), TollJson::write);
        write(
                out.resolve("summary.json"),
                w -> w.write(String.format(
                        "{\"records\":%d,\"distinctPassages\":%d,\"duplicates\":%d,\"malformed\":%d,"
                                + "\"rejectedByProducer\":%d,\"lateForStations\":%d,\"billingAlerts\":%d,"
                                + "\"lowTrafficAlerts\":%d}%n",
                        oracle.records(),
                        oracle.distinctPassages(),
                        oracle.duplicates(),
                        oracle.malformed(),
                        oracle.rejectedByProducer(),
                        oracle.lateForStations(),
                        oracle.billingAlerts().size(),
                        oracle.lowTrafficAlerts().size())));
    }

    private static <T> void writeLines(Path file, List<T> items, Function<T, String> line) {
        write(file, w -> {
            for (T item : items) {
                w.write(line.apply(item));
                w.write('\n');
            }
        });
    }

    private interface Content {
        void writeTo(Writer writer) throws IOException;
    }

    private static void write(Path file, Content content) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                content.writeTo(writer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
