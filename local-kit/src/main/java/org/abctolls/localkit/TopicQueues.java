package org.abctolls.localkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** SQS queues that observe what is published to SNS topics, for checks and tests. */
public final class TopicQueues {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private TopicQueues() {}

    /**
     * Creates a queue named {@code queueName} (FIFO when the topic is) that receives everything
     * published to the topic, raw, and returns its URL.
     */
    public static String subscribeNewQueue(SnsClient sns, SqsClient sqs, String topicArn, String queueName) {
        boolean fifo = topicArn.endsWith(".fifo");
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        String queueUrl = sqs.createQueue(
                        r -> r.queueName(fifo ? queueName + ".fifo" : queueName).attributes(attributes))
                .queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        sqs.setQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.POLICY, topicMayDeliver(topicArn, queueArn))));
        sns.subscribe(r -> r.topicArn(topicArn)
                .protocol("sqs")
                .endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        return queueUrl;
    }

    /**
     * Waits until at least {@code expected} messages have arrived, then receives until a
     * long poll of a few seconds comes back empty, so that a message beyond the expected ones
     * (a duplicate, say) is seen too. Returns the bodies, deleting the messages.
     */
    public static List<String> receive(SqsClient sqs, String queueUrl, int expected) {
        List<Received> received = new ArrayList<>();
        await("at least " + expected + " messages on " + queueUrl)
                .atMost(TIMEOUT)
                .until(() -> {
                    receiveBatch(sqs, queueUrl, 1, received::add);
                    return received.size() >= expected;
                });
        drain(sqs, queueUrl, Duration.ofSeconds(3), received::add);
        return received.stream().map(Received::body).toList();
    }

    /** A message taken from a queue, with the instant the queue received it. */
    public record Received(String body, Instant sentAt) {}

    /** Receives until a poll waiting {@code quiet} (whole seconds) comes back empty, deleting the messages. */
    public static List<Received> drain(SqsClient sqs, String queueUrl, Duration quiet) {
        List<Received> received = new ArrayList<>();
        drain(sqs, queueUrl, quiet, received::add);
        return received;
    }

    /**
     * As {@link #drain(SqsClient, String, Duration)}, handing each message to {@code into}
     * before it is deleted: a receive or delete that fails part way loses nothing taken so far.
     */
    public static void drain(SqsClient sqs, String queueUrl, Duration quiet, Consumer<Received> into) {
        while (receiveBatch(sqs, queueUrl, (int) quiet.toSeconds(), into) > 0) {
            // until a poll comes back empty
        }
    }

    private static int receiveBatch(SqsClient sqs, String queueUrl, int waitSeconds, Consumer<Received> into) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .waitTimeSeconds(waitSeconds)
                        .maxNumberOfMessages(10)
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages();
        for (Message message : messages) {
            into.accept(new Received(
                    message.body(),
                    Instant.ofEpochMilli(
                            Long.parseLong(message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)))));
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
        return messages.size();
    }

    private static String topicMayDeliver(String topicArn, String queueArn) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage",
                 "Resource":"%s","Condition":{"ArnEquals":{"aws:SourceArn":"%s"}}}]}"""
                .formatted(queueArn, topicArn);
    }
}
