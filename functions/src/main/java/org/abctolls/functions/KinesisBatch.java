package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abctolls.domain.ContractViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch from Kinesis through a record handler with the event source mapping's
 * "report batch item failures" semantics, keeping each shard's order.
 *
 * <p>Records are handled in order. A record that breaks the contract (not UTF-8, not the
 * expected JSON) goes to the dead-letter queue and counts as done. The first record whose
 * handling fails, and every record after it, are reported as failures: Lambda (or the local
 * host) checkpoints before the first of them and delivers them again, so nothing after a
 * failure is applied out of order.
 */
public final class KinesisBatch {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisBatch.class);

    /** Handles one record's text; throws {@link ContractViolationException} when it breaks the contract. */
    public interface RecordHandler {
        void handle(String json) throws Exception;
    }

    private final DeadLetterQueue deadLetters;
    private final FunctionMetrics metrics;

    public KinesisBatch(DeadLetterQueue deadLetters, FunctionMetrics metrics) {
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /**
     * @param counts the handler's own counts, which it updates as it goes; published with the
     *     batch's {@code RecordsDeadLettered} and {@code RecordsToRetry} once the batch is done
     */
    public StreamsEventResponse process(KinesisEvent event, Map<String, Integer> counts, RecordHandler handler) {
        List<KinesisEvent.KinesisEventRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        int deadLettered = 0;
        for (int i = 0; i < records.size(); i++) {
            KinesisEvent.KinesisEventRecord record = records.get(i);
            try {
                Optional<String> json = utf8(record.getKinesis().getData());
                if (json.isEmpty()) {
                    deadLetter(record, "not UTF-8 text");
                    deadLettered++;
                    continue;
                }
                try {
                    handler.handle(json.get());
                } catch (ContractViolationException e) {
                    deadLetter(record, e.getMessage());
                    deadLettered++;
                }
            } catch (Exception e) {
                LOG.warn(
                        "record {} failed; it and the {} after it will be retried: {}",
                        record.getKinesis().getSequenceNumber(),
                        records.size() - i - 1,
                        e.toString());
                for (KinesisEvent.KinesisEventRecord failed : records.subList(i, records.size())) {
                    failures.add(new StreamsEventResponse.BatchItemFailure(
                            failed.getKinesis().getSequenceNumber()));
                }
                break;
            }
        }
        Map<String, Integer> published = new LinkedHashMap<>(counts);
        published.put("RecordsDeadLettered", deadLettered);
        published.put("RecordsToRetry", failures.size());
        metrics.publish(published);
        return new StreamsEventResponse(failures);
    }

    private void deadLetter(KinesisEvent.KinesisEventRecord record, String reason) {
        LOG.warn("record {} dead-lettered: {}", record.getKinesis().getSequenceNumber(), reason);
        deadLetters.send(record, reason);
    }

    /** The data as text, if it is valid UTF-8. */
    static Optional<String> utf8(ByteBuffer data) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.duplicate())
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
