package org.abctolls.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.concurrent.atomic.AtomicInteger;
import org.abctolls.domain.BillingThresholdAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** Against an in-process HTTP server on the loopback interface that answers every call with an error. */
class CustomerNotificationsTest {

    private static final BillingThresholdAlert ALERT = new BillingThresholdAlert(
            "C0000123", YearMonth.of(2026, 11), 5_000, 5_125, Instant.parse("2026-11-18T14:10:00Z"));

    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;
    private SnsClient sns;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] body = ("<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code>"
                            + "<Message>injected</Message></Error><RequestId>r</RequestId></ErrorResponse>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        sns = SnsClient.builder()
                .endpointOverride(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterEach
    void stop() {
        sns.close();
        server.stop(0);
    }

    /**
     * The SDK would try a failed publish four times, and an earlier attempt might have reached
     * the customer although the last one failed: whether an alert may start afresh is judged on
     * the one attempt there was.
     */
    @Test
    void aPublishIsOneAttemptWhatTheClientsRetrySettingsSay() {
        CustomerNotifications notifications = new CustomerNotifications(sns, "arn:aws:sns:us-east-1:1:alerts.fifo");

        assertThatThrownBy(() -> notifications.publish(ALERT))
                .isInstanceOfSatisfying(AwsServiceException.class, refused -> assertThat(refused.statusCode())
                        .isEqualTo(500));
        assertThat(calls).hasValue(1);
    }
}
