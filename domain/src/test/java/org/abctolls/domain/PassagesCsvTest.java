package org.abctolls.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassagesCsvTest {

    @Test
    void passagesInEventIdOrderWithAnEventIdThatNeedsQuotingQuoted() throws Exception {
        TollEvent plain = passage("e-2", Instant.parse("2026-11-16T08:00:00.250Z"));
        TollEvent awkward = passage("e-1,\"x\"", Instant.parse("2026-11-16T08:00:00Z"));
        StringWriter out = new StringWriter();

        PassagesCsv.write(out, List.of(plain, awkward));

        assertThat(out.toString())
                .isEqualTo(PassagesCsv.HEADER + "\n"
                        + "\"e-1,\"\"x\"\"\",S0001,3,T0000001,C0000001,CAR,275,2026-11-16T08:00:00Z\n"
                        + "e-2,S0001,3,T0000001,C0000001,CAR,275,2026-11-16T08:00:00.250Z\n");
    }

    private static TollEvent passage(String eventId, Instant eventTime) {
        return new TollEvent(eventId, "S0001", 3, "T0000001", "C0000001", VehicleClass.CAR, 275, eventTime);
    }
}
