package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.abctolls.sim.Emission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayInputTest {

    private static final String PASSAGE =
            "{\"eventId\":\"e1\",\"stationId\":\"S0042\",\"laneId\":3,\"transceiverId\":\"T0000123\","
                    + "\"customerId\":\"C0000123\",\"vehicleClass\":\"CAR\",\"amountCents\":275,"
                    + "\"eventTime\":\"2026-11-18T14:03:07.250Z\"}";

    @TempDir
    Path dir;

    @Test
    void readsEveryLineMalformedOnesIncludedEachKeyedByItsStation() throws Exception {
        writeReferenceData();
        Files.writeString(dir.resolve("events.jsonl"), PASSAGE + "\nnot json at all\n\n");

        ReplayInput input = ReplayInput.read(dir);

        assertThat(input.events())
                .extracting(Emission::text, Emission::partitionKey, Emission::kind)
                .containsExactly(
                        tuple(PASSAGE, "S0042", Emission.Kind.PASSAGE),
                        tuple("not json at all", "S0042", Emission.Kind.MALFORMED));
        assertThat(input.reference().stations()).hasSize(1);
        assertThat(input.reference().thresholds()).hasSize(1);
        assertThat(input.reference().customers()).hasSize(2);
    }

    /** A line in Latin-1, one of more than Kinesis' 1 MiB, Windows line ends, and an empty line. */
    @Test
    void readsEachLineAsItsBytesWhateverTheyAreAndAnEmptyLineIsNotARecord() throws Exception {
        writeReferenceData();
        byte[] latin1 = "{\"note\":\"Zürich\"}".getBytes(StandardCharsets.ISO_8859_1);
        String huge = PASSAGE.replace("}", ",\"padding\":\"" + "x".repeat(1_100_000) + "\"}");
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes((PASSAGE + "\r\n").getBytes(StandardCharsets.UTF_8));
        file.writeBytes(latin1);
        file.writeBytes("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        file.writeBytes((huge + "\n").getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("events.jsonl"), file.toByteArray());

        ReplayInput input = ReplayInput.read(dir);

        assertThat(input.events()).hasSize(3);
        assertThat(input.events().get(0).text()).isEqualTo(PASSAGE);
        assertThat(input.events().get(1).data()).isEqualTo(latin1);
        assertThat(input.events().get(1).partitionKey()).isEqualTo("S0042");
        assertThat(input.events().get(2).data()).hasSize(huge.length());
    }

    /** Only the file's first bytes can be its byte order mark; the same bytes opening a later line are that record's. */
    @Test
    void aByteOrderMarkOpeningTheFileIsNotPartOfTheFirstRecord() throws Exception {
        writeReferenceData();
        String bom = "\uFEFF";
        Files.writeString(dir.resolve("events.jsonl"), bom + PASSAGE + "\n" + bom + PASSAGE + "\n");

        ReplayInput input = ReplayInput.read(dir);

        assertThat(input.events())
                .extracting(Emission::text, Emission::kind)
                .containsExactly(tuple(PASSAGE, Emission.Kind.PASSAGE), tuple(bom + PASSAGE, Emission.Kind.MALFORMED));
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        writeReferenceData();

        assertThatThrownBy(() -> ReplayInput.read(dir))
                .isInstanceOf(ReplayInput.InvalidInput.class)
                .hasMessage("missing " + dir.resolve("events.jsonl"));
    }

    @Test
    void anInvalidReferenceFileIsReportedWithFileLineAndField() throws Exception {
        writeReferenceData();
        Files.writeString(dir.resolve("events.jsonl"), PASSAGE + "\n");
        Files.writeString(
                dir.resolve("station-thresholds.csv"),
                "stationId,dayOfWeek,slotStart,minVehicles\nS0042,WEDNESDAY,14:15,100\n");

        assertThatThrownBy(() -> ReplayInput.read(dir))
                .isInstanceOf(ReplayInput.InvalidInput.class)
                .hasMessageStartingWith("station-thresholds.csv line 2, slotStart");
    }

    /** As the billing function reads such a threshold in DynamoDB: billed, never alerted. */
    @Test
    void aCustomersUnusableThresholdIsNoThresholdAndIsReportedWithItsLine() throws Exception {
        writeReferenceData();
        Files.writeString(dir.resolve("events.jsonl"), PASSAGE + "\n");
        Files.writeString(
                dir.resolve("customers.csv"), "customerId,monthlyThresholdCents\nC0000123,-5\nC0000124,5000\n");

        ReplayInput input = ReplayInput.read(dir);

        assertThat(input.reference().customers())
                .extracting(customer -> customer.monthlyThresholdCents().isPresent())
                .containsExactly(false, true);
        assertThat(input.unusableThresholds())
                .containsExactly("customers.csv line 2, monthlyThresholdCents: is negative, was \"-5\"");
    }

    private void writeReferenceData() throws Exception {
        Files.writeString(
                dir.resolve("stations.csv"), "stationId,name,timeZone\nS0042,Riverside Plaza,America/Chicago\n");
        Files.writeString(
                dir.resolve("station-thresholds.csv"),
                "stationId,dayOfWeek,slotStart,minVehicles\nS0042,WEDNESDAY,14:00,100\n");
        Files.writeString(dir.resolve("customers.csv"), "customerId,monthlyThresholdCents\nC0000123,5000\nC0000124,\n");
    }
}
