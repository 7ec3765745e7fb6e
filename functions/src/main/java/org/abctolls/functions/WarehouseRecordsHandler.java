package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisAnalyticsInputPreprocessingResponse;
import com.amazonaws.services.lambda.runtime.events.KinesisAnalyticsInputPreprocessingResponse.Result;
import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollEventRules;
import org.abctolls.domain.TollJson;

/**
 * Firehose's record transformation before the warehouse: each record is judged by the
 * contract's parser against its arrival on the stream (the clock the analytics job reads it
 * by). A passage goes on as its canonical JSON on a line of its own, which COPY loads into
 * exactly the table's columns; a malformed record is returned as failed, and Firehose keeps
 * it under the error prefix (the raw backup keeps every record as it came). The one valid
 * passage Redshift cannot store, an {@code eventId} holding the NUL character (no {@code
 * VARCHAR} holds it), is returned as failed too: kept under the error prefix rather than
 * skipped by COPY's {@code MAXERROR}, where only {@code sys_load_error_detail} would show it;
 * it is still billed and counted. So the warehouse table receives every other valid record
 * and nothing else, and one bad record never costs another.
 */
public final class WarehouseRecordsHandler
        implements RequestHandler<KinesisFirehoseEvent, KinesisAnalyticsInputPreprocessingResponse> {

    /** Where Firehose puts the Kinesis record's own arrival time when it reads a stream. */
    static final String KINESIS_ARRIVAL = "approximateArrivalTimestamp";

    private final Clock clock;
    private final Duration futureTolerance;

    public WarehouseRecordsHandler() {
        this(Clock.systemUTC(), WarehouseRecordsConfig.fromEnvironment(System.getenv()));
    }

    /** @param clock the reading clock for a record that carries no arrival time */
    public WarehouseRecordsHandler(Clock clock, WarehouseRecordsConfig config) {
        this.clock = clock;
        this.futureTolerance = config.futureTolerance();
    }

    @Override
    public KinesisAnalyticsInputPreprocessingResponse handleRequest(KinesisFirehoseEvent event, Context context) {
        return InvocationLog.around(context, () -> process(event));
    }

    private KinesisAnalyticsInputPreprocessingResponse process(KinesisFirehoseEvent event) {
        List<KinesisAnalyticsInputPreprocessingResponse.Record> results = new ArrayList<>();
        for (KinesisFirehoseEvent.Record record : event.getRecords()) {
            ByteBuffer data = record.getData().duplicate();
            byte[] raw = new byte[data.remaining()];
            data.get(raw);
            Instant latestAcceptable = TollEventRules.latestAcceptableEventTime(arrivalOf(record), futureTolerance);
            if (TollJson.parseTollEvent(raw, latestAcceptable) instanceof TollEventParseResult.Valid valid
                    && valid.event().eventId().indexOf('\0') < 0) {
                byte[] line = (TollJson.write(valid.event()) + "\n").getBytes(StandardCharsets.UTF_8);
                results.add(new KinesisAnalyticsInputPreprocessingResponse.Record(
                        record.getRecordId(), Result.Ok, ByteBuffer.wrap(line)));
            } else {
                results.add(new KinesisAnalyticsInputPreprocessingResponse.Record(
                        record.getRecordId(), Result.ProcessingFailed, ByteBuffer.wrap(raw)));
            }
        }
        return new KinesisAnalyticsInputPreprocessingResponse(results);
    }

    private Instant arrivalOf(KinesisFirehoseEvent.Record record) {
        Map<String, String> kinesis = record.getKinesisRecordMetadata();
        if (kinesis != null && kinesis.get(KINESIS_ARRIVAL) != null) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(kinesis.get(KINESIS_ARRIVAL)));
            } catch (NumberFormatException e) {
                // Not a time: the record's arrival at Firehose, or the clock, stands in.
            }
        }
        if (record.getApproximateArrivalTimestamp() != null) {
            return Instant.ofEpochMilli(record.getApproximateArrivalTimestamp());
        }
        return clock.instant();
    }
}
