package org.abctolls.functions;

import java.util.Map;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.TollJson;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes billing alerts to the customer-notifications topic, as the contract's JSON with
 * the customer id as a message attribute (for subscription filters). On a FIFO topic each
 * alert carries a deduplication id of customer, month and threshold, so that SNS itself
 * drops a second publish of the same crossing within its five-minute deduplication window.
 */
public class CustomerNotifications {
    private final SnsClient sns;
    private final String topicArn;

    /**
     * One attempt per publish: whether an attempt may have reached the customer decides whether
     * the alert may start afresh ({@link PendingBillingAlerts}), and the SDK's own retries would
     * hide their earlier attempts' outcomes behind the last one's error. The record's redelivery
     * is the retry.
     */
    private static final SdkPlugin ONE_ATTEMPT =
            config -> config.overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()));

    public CustomerNotifications(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    public void publish(BillingThresholdAlert alert) {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(topicArn)
                .subject("ABC Tolls: your " + alert.month() + " tolls reached your alert amount")
                .message(TollJson.write(alert))
                .messageAttributes(Map.of(
                        "type", text(BillingThresholdAlert.TYPE),
                        "customerId", text(alert.customerId())))
                .overrideConfiguration(override -> override.addPlugin(ONE_ATTEMPT));
        if (topicArn.endsWith(".fifo")) {
            request.messageGroupId(alert.customerId())
                    .messageDeduplicationId(alert.customerId() + "-" + alert.month() + "-" + alert.thresholdCents());
        }
        sns.publish(request.build());
    }

    static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
