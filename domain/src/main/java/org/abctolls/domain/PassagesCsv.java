package org.abctolls.domain;

import java.io.IOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;

/**
 * Passages (one per eventId, its first sighting) as CSV, in eventId order, so that the
 * warehouse's passages of a run and the oracle's can be compared with {@code diff}: the
 * replay's {@code warehouse-passages.csv} and the simulator's {@code oracle/warehouse-passages.csv}.
 */
public final class PassagesCsv {

    public static final String FILE = "warehouse-passages.csv";
    static final String HEADER = "eventId,stationId,laneId,transceiverId,customerId,vehicleClass,amountCents,eventTime";

    private PassagesCsv() {}

    /** The eventId is quoted as RFC 4180 says when it holds a comma, a quote or a line break; no other field can. */
    public static void write(Writer out, List<TollEvent> passages) throws IOException {
        out.write(HEADER + "\n");
        for (TollEvent passage : passages.stream()
                .sorted(Comparator.comparing(TollEvent::eventId))
                .toList()) {
            out.write(String.join(
                            ",",
                            quoted(passage.eventId()),
                            passage.stationId(),
                            Integer.toString(passage.laneId()),
                            passage.transceiverId(),
                            passage.customerId(),
                            passage.vehicleClass().name(),
                            Integer.toString(passage.amountCents()),
                            passage.eventTime().toString())
                    + "\n");
        }
    }

    static String quoted(String field) {
        if (field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
