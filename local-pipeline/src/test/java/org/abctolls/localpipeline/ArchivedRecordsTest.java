package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchivedRecordsTest {

    private static final String PASSAGE = "{\"eventId\":\"e1\",\"stationId\":\"S0001\",\"amountCents\":275}";

    @Test
    void recordsBackToBackAreEachTheirOwnPieceWithTheirBytesUnchanged() {
        List<ArchivedRecords.Piece> pieces = ArchivedRecords.split(
                bytes(PASSAGE + PASSAGE.replace("e1", "e2") + "\n" + PASSAGE.replace("e1", "e3")));

        assertThat(pieces).allMatch(ArchivedRecords.Piece::isObject);
        assertThat(pieces)
                .extracting(piece -> new String(piece.bytes(), StandardCharsets.UTF_8))
                .containsExactly(PASSAGE, PASSAGE.replace("e1", "e2"), PASSAGE.replace("e1", "e3"));
        assertThat(pieces).extracting(ArchivedRecords.Piece::offset).containsExactly(0L, 54L, 109L);
    }

    @Test
    void textBetweenRecordsIsOneRefusedRecordAndTheNextRecordStillLoads() {
        List<ArchivedRecords.Piece> pieces = ArchivedRecords.split(
                bytes(PASSAGE + "transceiver T0000123 checksum error" + PASSAGE.replace("e1", "e2")));

        assertThat(pieces).extracting(ArchivedRecords.Piece::isObject).containsExactly(true, false, true);
        assertThat(pieces.get(1).refusal()).startsWith("not a JSON object");
        assertThat(pieces.get(2).bytes()).isEqualTo(bytes(PASSAGE.replace("e1", "e2")));
    }

    @Test
    void aRecordCutShortIsRefusedAndReadingResumesAtTheNextRecord() {
        String cut = PASSAGE.substring(0, PASSAGE.length() / 2);

        List<ArchivedRecords.Piece> pieces = ArchivedRecords.split(bytes(cut + PASSAGE.replace("e1", "e2")));

        assertThat(pieces).extracting(ArchivedRecords.Piece::isObject).containsExactly(false, true);
        assertThat(pieces.get(0).refusal()).startsWith("not valid JSON");
        assertThat(pieces.get(1).bytes()).isEqualTo(bytes(PASSAGE.replace("e1", "e2")));
    }

    @Test
    void aRecordWhoseBytesAreNotUtf8IsRefused() {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(bytes(PASSAGE));
        data.writeBytes("{\"eventId\":\"e2\",\"stationName\":\"Sào Paulo\"}".getBytes(StandardCharsets.ISO_8859_1));
        data.writeBytes(bytes(PASSAGE.replace("e1", "e3")));

        List<ArchivedRecords.Piece> pieces = ArchivedRecords.split(data.toByteArray());

        assertThat(pieces).extracting(ArchivedRecords.Piece::isObject).containsExactly(true, false, true);
        assertThat(pieces.get(1).refusal()).contains("UTF-8");
    }

    @Test
    void anEmptyObjectHasNothingToReadAndNothingIsNotARecord() {
        assertThat(ArchivedRecords.split(new byte[0])).isEmpty();
        assertThat(ArchivedRecords.split(bytes(" \n "))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
