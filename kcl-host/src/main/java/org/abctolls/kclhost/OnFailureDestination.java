package org.abctolls.kclhost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a batch goes when its retries are exhausted: an SQS queue, with the same record as
 * Lambda's on-failure destination for a Kinesis source, which describes the batch (shard,
 * first and last sequence numbers) rather than carrying its data; the records stay in the
 * stream for as long as it retains them.
 */
public class OnFailureDestination {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;

    public OnFailureDestination(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    public void send(String streamArn, String shardId, List<ShardRecord> batch, int invocations, String condition) {
        sqs.sendMessage(request -> request.queueUrl(queueUrl)
                .messageBody(body(streamArn, shardId, batch, invocations, condition, Instant.now())));
    }

    static String body(
            String streamArn, String shardId, List<ShardRecord> batch, int invocations, String condition, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode context = body.putObject("requestContext");
        context.put("condition", condition);
        context.put("approximateInvokeCount", invocations);
        body.put("timestamp", now.toString());
        ObjectNode info = body.putObject("KinesisBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", batch.get(0).sequenceNumber());
        info.put("endSequenceNumber", batch.get(batch.size() - 1).sequenceNumber());
        info.put(
                "approximateArrivalOfFirstRecord",
                batch.get(0).approximateArrival().toString());
        info.put(
                "approximateArrivalOfLastRecord",
                batch.get(batch.size() - 1).approximateArrival().toString());
        info.put("batchSize", batch.size());
        info.put("streamArn", streamArn);
        return body.toString();
    }
}
