package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abctolls.domain.DeadLetter;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps a record that breaks the contract, with the reason, in an SQS queue, so that it
 * neither blocks its shard nor disappears. The body is the contract's dead letter (reason,
 * length, SHA-256, the record as text when it is UTF-8, in Base64 otherwise) with where it
 * came from, and never exceeds SQS's message limit: a record of up to 1 MiB is cut to the
 * longest prefix that fits, and says so.
 */
public class DeadLetterQueue {

    private final SqsClient sqs;
    private final String queueUrl;

    public DeadLetterQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void send(KinesisEvent.KinesisEventRecord record, String reason) {
        sqs.sendMessage(request -> request.queueUrl(queueUrl).messageBody(body(record, reason)));
    }

    static String body(KinesisEvent.KinesisEventRecord record, String reason) {
        Map<String, String> from = new LinkedHashMap<>();
        from.put("eventSourceArn", record.getEventSourceARN());
        from.put("eventId", record.getEventID());
        from.put("partitionKey", record.getKinesis().getPartitionKey());
        from.put("sequenceNumber", record.getKinesis().getSequenceNumber());
        from.values().removeIf(value -> value == null);
        return new DeadLetter(reason, bytes(record.getKinesis().getData()), from).toJson(DeadLetter.SQS_MESSAGE_LIMIT);
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
