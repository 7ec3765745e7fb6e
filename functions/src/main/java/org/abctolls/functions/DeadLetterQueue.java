package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps a record that breaks the contract, with the reason, in an SQS queue, so that it
 * neither blocks its shard nor disappears. The body carries the record's text when it is
 * UTF-8, its bytes in Base64 otherwise, and where it came from.
 */
public class DeadLetterQueue {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        ObjectNode body = JSON.createObjectNode();
        body.put("reason", reason);
        KinesisBatch.utf8(record.getKinesis().getData())
                .ifPresentOrElse(
                        text -> body.put("raw", text),
                        () -> body.put("rawBase64", base64(record.getKinesis().getData())));
        body.put("eventSourceArn", record.getEventSourceARN());
        body.put("eventId", record.getEventID());
        body.put("partitionKey", record.getKinesis().getPartitionKey());
        body.put("sequenceNumber", record.getKinesis().getSequenceNumber());
        return body.toString();
    }

    private static String base64(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
