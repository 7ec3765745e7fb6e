package org.abctolls.kclhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollJson;
import org.abctolls.domain.TumblingWindow;
import org.abctolls.functions.BillingLedger;
import org.abctolls.functions.BillingThresholdHandler;
import org.abctolls.functions.CustomerNotifications;
import org.abctolls.functions.FunctionResources;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.KinesisStreams;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.localkit.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The billing handler hosted on a KCL worker over a two-shard stream of window totals,
 * against the local kit: it must end exactly where calling the same code directly ends.
 */
@ExtendWith(LocalAwsExtension.class)
class KclHostIT {

    private static final int CUSTOMERS = 12;
    private static final long THRESHOLD_CENTS = 2_000;

    private AwsTarget aws;
    private KinesisClient kinesis;
    private FunctionResources hosted;
    private FunctionResources direct;
    private String stream;
    private String streamArn;

    @BeforeEach
    void createResources(AwsTarget target) {
        aws = target;
        kinesis = aws.kinesis();
        hosted = new FunctionResources(aws);
        direct = new FunctionResources(aws);
        stream = UniqueNames.of("customer-window-totals");
        KinesisStreams.create(kinesis, stream, 2);
        streamArn = kinesis.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary()
                .streamARN();
        for (int c = 1; c <= CUSTOMERS; c++) {
            hosted.setThreshold(customer(c), THRESHOLD_CENTS);
            direct.setThreshold(customer(c), THRESHOLD_CENTS);
        }
    }

    @AfterEach
    void close() {
        hosted.close();
        direct.close();
        kinesis.close();
    }

    private static String customer(int c) {
        return String.format("C%07d", c);
    }

    /**
     * Six windows per customer across the turn of the month, each sent twice, and a late
     * revision of the first followed by a stale copy of its older revision.
     */
    private static List<CustomerWindowTotal> totals() {
        List<CustomerWindowTotal> totals = new ArrayList<>();
        Instant start = Instant.parse("2026-11-30T23:30:00Z");
        for (int w = 0; w < 6; w++) {
            Instant windowStart = start.plus(TumblingWindow.BILLING.multipliedBy(w));
            for (int c = 1; c <= CUSTOMERS; c++) {
                CustomerWindowTotal total = new CustomerWindowTotal(
                        customer(c), windowStart, windowStart.plus(TumblingWindow.BILLING), 100L * c + 37L * w, 1, 0);
                totals.add(total);
                totals.add(total);
            }
        }
        for (int c = 1; c <= CUSTOMERS; c++) {
            Instant first = start;
            totals.add(new CustomerWindowTotal(
                    customer(c), first, first.plus(TumblingWindow.BILLING), 100L * c + 500, 2, 1));
            totals.add(new CustomerWindowTotal(customer(c), first, first.plus(TumblingWindow.BILLING), 100L * c, 1, 0));
        }
        return totals;
    }

    private KclHost.Clients clients() {
        return new KclHost.Clients(
                aws.configure(KinesisAsyncClient.builder(), "KINESIS")
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                        .build(),
                aws.configure(DynamoDbAsyncClient.builder(), "DYNAMODB").build(),
                aws.configure(CloudWatchAsyncClient.builder(), "CLOUDWATCH").build());
    }

    @Test
    void theHostedFunctionEndsExactlyWhereDirectCallsEndThoughOneBatchFailsOnceAndIsBisected() {
        List<CustomerWindowTotal> totals = totals();
        publish(totals);
        BillingLedger directLedger = new BillingLedger(
                direct.dynamoDb,
                direct.ledgerTable,
                direct.customersTable,
                new CustomerNotifications(direct.sns, direct.customerTopicArn),
                FunctionResources.LEDGER_ENTRIES_KEPT);
        totals.forEach(directLedger::apply);
        Map<String, Map<YearMonth, Long>> expected = monthlyTotals(directLedger);

        BillingThresholdHandler handler =
                new BillingThresholdHandler(hosted.billingConfig(), hosted.dynamoDb, hosted.sns, hosted.sqs);
        AtomicInteger injected = new AtomicInteger();
        String onFailureQueue = hosted.sqs
                .createQueue(r -> r.queueName(UniqueNames.of("kcl-host-on-failure")))
                .queueUrl();
        String application = UniqueNames.of("billing-threshold");
        KclHost host = KclHost.start(
                application,
                stream,
                streamArn,
                aws.region(),
                failOnceOnABatchWithCustomer(handler, customer(7), injected),
                new EventSourceMapping(10, Duration.ofMillis(200), true, true, 3),
                new OnFailureDestination(hosted.sqs, onFailureQueue),
                clients(),
                KclHost.Timing.QUICK_START);
        try {
            // The worker soon keeps its own items in the table too (its metrics, the leader's lock).
            assertThat(hosted.dynamoDb
                            .scan(r -> r.tableName(application).consistentRead(true))
                            .items())
                    .as("the leases, made before the worker starts, not after its random wait on an empty table")
                    .filteredOn(item -> item.containsKey("checkpoint"))
                    .extracting(lease -> lease.get("leaseKey").s() + "@"
                            + lease.get("checkpoint").s())
                    .containsExactlyInAnyOrder(
                            "shardId-000000000000@TRIM_HORIZON", "shardId-000000000001@TRIM_HORIZON");
            BillingLedger hostedLedger = hosted.ledger();
            await("the hosted function's month totals to reach the direct calls'")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> monthlyTotals(hostedLedger).equals(expected));
        } finally {
            host.close();
        }

        assertThat(injected).hasValue(1);
        int crossings = (int) expected.values().stream()
                .flatMap(months -> months.values().stream())
                .filter(total -> total >= THRESHOLD_CENTS)
                .count();
        Set<String> directAlerts =
                new HashSet<>(TopicQueues.receive(direct.sqs, direct.customerAlertsQueue, crossings));
        List<String> hostedAlerts = TopicQueues.receive(hosted.sqs, hosted.customerAlertsQueue, directAlerts.size());
        assertThat(hostedAlerts).hasSameSizeAs(directAlerts).containsExactlyInAnyOrderElementsOf(directAlerts);
        assertThat(directAlerts).hasSize(crossings).isNotEmpty();
        assertThat(TopicQueues.receive(hosted.sqs, onFailureQueue, 0)).isEmpty();
    }

    /** The handler, except that the first batch holding one of the customer's totals fails as a crashing function. */
    private static RequestHandler<KinesisEvent, StreamsEventResponse> failOnceOnABatchWithCustomer(
            BillingThresholdHandler handler, String customerId, AtomicInteger injected) {
        return (event, context) -> {
            boolean holdsCustomer = event.getRecords().stream().anyMatch(record -> StandardCharsets.UTF_8
                    .decode(record.getKinesis().getData().duplicate())
                    .toString()
                    .contains(customerId));
            if (holdsCustomer && event.getRecords().size() > 1 && injected.compareAndSet(0, 1)) {
                throw new IllegalStateException("injected function error");
            }
            return handler.handleRequest(event, context);
        };
    }

    private void publish(List<CustomerWindowTotal> totals) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (CustomerWindowTotal total : totals) {
            entries.add(PutRecordsRequestEntry.builder()
                    .partitionKey(total.customerId())
                    .data(SdkBytes.fromUtf8String(TollJson.write(total)))
                    .build());
        }
        // In order, one call per 100 records, so that each customer's totals keep their order on its shard.
        for (int from = 0; from < entries.size(); from += 100) {
            List<PutRecordsRequestEntry> chunk = entries.subList(from, Math.min(entries.size(), from + 100));
            assertThat(kinesis.putRecords(r -> r.streamName(stream).records(chunk))
                            .failedRecordCount())
                    .isZero();
        }
    }

    private static Map<String, Map<YearMonth, Long>> monthlyTotals(BillingLedger ledger) {
        Map<String, Map<YearMonth, Long>> totals = new HashMap<>();
        for (int c = 1; c <= CUSTOMERS; c++) {
            totals.put(customer(c), ledger.monthlyTotals(customer(c)));
        }
        return totals;
    }
}
