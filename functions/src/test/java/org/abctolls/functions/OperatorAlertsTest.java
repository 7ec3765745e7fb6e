package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Instant;
import java.util.Map;
import org.abctolls.domain.LowTrafficAlert;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * The operators' topic is a standard one (it also takes the stack's alarms, and operators
 * subscribe e-mail and chat to it, which a FIFO topic cannot take), which SNS does not
 * deduplicate: between a publish and its {@code SENT} mark, the
 * choice is between sending an alert again and losing it, and a dead sensor must be heard of.
 */
class OperatorAlertsTest {

    private final DynamoDbClient dynamoDb = mock(DynamoDbClient.class, CALLS_REAL_METHODS);
    private final SnsClient sns = mock(SnsClient.class, CALLS_REAL_METHODS);
    private final OperatorAlerts alerts = new OperatorAlerts(
            dynamoDb, sns, "ledger", "arn:aws:sns:eu-west-1:1:operators", FunctionResources.LEDGER_ENTRIES_KEPT);
    private final LowTrafficAlert alert = new LowTrafficAlert(
            "S0007", Instant.parse("2026-11-18T20:00:00Z"), Instant.parse("2026-11-18T20:30:00Z"), 0, 12);

    @Test
    void anAlertWhoseSentMarkFailsAfterItsPublishIsSentAgainOnRedeliveryNotLost() {
        doReturn(PutItemResponse.builder().build())
                .doThrow(ConditionalCheckFailedException.builder()
                        .message("the marker exists")
                        .build())
                .when(dynamoDb)
                .putItem(any(PutItemRequest.class));
        doReturn(GetItemResponse.builder()
                        .item(Map.of("state", AttributeValue.fromS("PENDING")))
                        .build())
                .when(dynamoDb)
                .getItem(any(GetItemRequest.class));
        doThrow(DynamoDbException.builder().message("throttled").build())
                .doReturn(UpdateItemResponse.builder().build())
                .when(dynamoDb)
                .updateItem(any(UpdateItemRequest.class));
        doReturn(PublishResponse.builder().messageId("m").build()).when(sns).publish(any(PublishRequest.class));

        assertThatThrownBy(() -> alerts.publishOnce(alert)).isInstanceOf(DynamoDbException.class);
        assertThat(alerts.publishOnce(alert)).isTrue();

        verify(sns, times(2)).publish(any(PublishRequest.class));
    }

    @Test
    void anAlertMarkedSentIsNotSentAgain() {
        doThrow(ConditionalCheckFailedException.builder()
                        .message("the marker exists")
                        .build())
                .when(dynamoDb)
                .putItem(any(PutItemRequest.class));
        doReturn(GetItemResponse.builder()
                        .item(Map.of("state", AttributeValue.fromS("SENT")))
                        .build())
                .when(dynamoDb)
                .getItem(any(GetItemRequest.class));

        assertThat(alerts.publishOnce(alert)).isFalse();

        verify(sns, never()).publish(any(PublishRequest.class));
    }
}
