package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisAnalyticsInputPreprocessingResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisAnalyticsInputPreprocessingResponse.Result;
import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.junit.jupiter.api.Test;

class WarehouseRecordsHandlerTest {

    private static final Instant ARRIVAL = Instant.parse("2026-11-16T08:00:05Z");
    private static final String PASSAGE = "{\"eventId\":\"e-1\",\"stationId\":\"S0001\",\"laneId\":3,"
            + "\"transceiverId\":\"T0000001\",\"customerId\":\"C0000001\",\"vehicleClass\":\"CAR\","
            + "\"amountCents\":275,\"eventTime\":\"2026-11-16T08:00:00.250Z\"}";

    private final WarehouseRecordsHandler handler = handlerWithTolerance(Duration.ofMinutes(5));

    private static WarehouseRecordsHandler handlerWithTolerance(Duration futureTolerance) {
        return new WarehouseRecordsHandler(
                Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC),
                new WarehouseRecordsConfig(futureTolerance));
    }

    @Test
    void aPassageGoesOnAsItsCanonicalJsonOnALineOfItsOwn() {
        String reordered = "{ \"amountCents\": 275, " + PASSAGE.substring(1).replace(",\"amountCents\":275", "");

        KinesisAnalyticsInputPreprocessingResponse response = handler.handleRequest(event(reordered), null);

        assertThat(response.getRecords()).singleElement().satisfies(record -> {
            assertThat(record.getRecordId()).isEqualTo("r0");
            assertThat(record.getResult()).isEqualTo(Result.Ok);
            assertThat(text(record.getData())).isEqualTo(PASSAGE + "\n");
        });
    }

    @Test
    void recordsTheContractCallsMalformedFailAndKeepTheirBytesWhateverColumnsTheyWouldFill() {
        List<String> malformed = List.of(
                PASSAGE.replace("\"eventId\"", "\"EVENTID\""),
                PASSAGE.replace("\"amountCents\":275", "\"amountCents\":-5,\"amountCents\":275"),
                PASSAGE.replace("\"laneId\":3", "\"laneId\":\"3\""),
                PASSAGE.replace(".250Z", ".2501Z"),
                PASSAGE + "{}",
                "transceiver T0000001 checksum error");

        KinesisAnalyticsInputPreprocessingResponse response =
                handler.handleRequest(event(malformed.toArray(String[]::new)), null);

        assertThat(response.getRecords())
                .extracting(record -> record.getResult())
                .containsOnly(Result.ProcessingFailed);
        assertThat(response.getRecords())
                .extracting(record -> text(record.getData()))
                .containsExactlyElementsOf(malformed);
    }

    /** The contract allows any character in an event id; Redshift's VARCHAR holds every one but NUL. */
    @Test
    void aPassageWhoseEventIdHoldsNulIsKeptAsFailedRatherThanLeftForCopyToSkip() {
        String withNul = PASSAGE.replace("\"e-1\"", "\"e\\u0000-1\"");
        String withOtherControls = PASSAGE.replace("\"e-1\"", "\"e\\u0001\\t\u00e9\ud83d\ude97-1\"");

        assertThat(TollJson.parseTollEvent(withNul.getBytes(StandardCharsets.UTF_8), Instant.MAX))
                .as("billed and counted: a valid passage")
                .isInstanceOf(TollEventParseResult.Valid.class);

        KinesisAnalyticsInputPreprocessingResponse response =
                handler.handleRequest(event(withNul, withOtherControls), null);

        assertThat(response.getRecords())
                .extracting(record -> record.getResult())
                .containsExactly(Result.ProcessingFailed, Result.Ok);
        assertThat(text(response.getRecords().get(0).getData())).isEqualTo(withNul);
    }

    @Test
    void anEventTimeAheadOfTheRecordsArrivalOnTheStreamByMoreThanTheToleranceIsMalformed() {
        String sixMinutesAhead = PASSAGE.replace("2026-11-16T08:00:00.250Z", "2026-11-16T08:06:05.250Z");
        String fourMinutesAhead = PASSAGE.replace("2026-11-16T08:00:00.250Z", "2026-11-16T08:04:05.250Z");

        KinesisAnalyticsInputPreprocessingResponse response =
                handler.handleRequest(event(sixMinutesAhead, fourMinutesAhead), null);

        assertThat(response.getRecords())
                .extracting(record -> record.getResult())
                .containsExactly(Result.ProcessingFailed, Result.Ok);
        assertThat(handlerWithTolerance(Duration.ofMinutes(7))
                        .handleRequest(event(sixMinutesAhead), null)
                        .getRecords())
                .extracting(record -> record.getResult())
                .as("the tolerance the stack sets, as the job's")
                .containsExactly(Result.Ok);
    }

    /**
     * An event as Firehose sends it from a Kinesis stream (its arrival times as JSON numbers),
     * read by the events library's serialization as Lambda's Java runtime reads it: the record
     * is judged against its arrival on the stream, not its later arrival at Firehose. Six
     * minutes ahead of the stream is four ahead of Firehose, and still malformed.
     */
    @Test
    void anEventAsFirehoseSendsItIsJudgedAgainstTheRecordsArrivalOnTheStream() {
        KinesisFirehoseEvent event = EventLoader.loadKinesisFirehoseEvent("firehose-from-toll-events.json");

        assertThat(handler.handleRequest(event, null).getRecords())
                .extracting(record -> record.getRecordId() + " " + record.getResult())
                .containsExactly("ahead-4m Ok", "ahead-6m ProcessingFailed");
    }

    private static KinesisFirehoseEvent event(String... texts) {
        List<KinesisFirehoseEvent.Record> records = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            KinesisFirehoseEvent.Record record = new KinesisFirehoseEvent.Record();
            record.setRecordId("r" + i);
            record.setData(ByteBuffer.wrap(texts[i].getBytes(StandardCharsets.UTF_8)));
            record.setKinesisRecordMetadata(
                    Map.of(WarehouseRecordsHandler.KINESIS_ARRIVAL, Long.toString(ARRIVAL.toEpochMilli())));
            records.add(record);
        }
        KinesisFirehoseEvent event = new KinesisFirehoseEvent();
        event.setRecords(records);
        return event;
    }

    private static String text(ByteBuffer data) {
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }
}
