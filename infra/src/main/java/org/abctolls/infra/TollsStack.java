package org.abctolls.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * The whole pipeline in one stack; the constructs do the wiring, and the stack passes them
 * the pipeline's numbers from {@link PipelineSettings}.
 */
public final class TollsStack extends Stack {
    static final String SERVER_ACCESS_LOGS_USE_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

    private static final int REDSHIFT_SERVERLESS_ZONES = 3;

    public TollsStack(Construct scope, String id, StackProps props, PipelineSettings settings) {
        super(scope, id, props);
        // S3 server access logs are let in by the log bucket's policy instead of an ACL (ACLs
        // stay off), as in every app cdk init makes; set here, before any resource, so that the
        // tests, the kit and cdk deploy build the same template.
        getNode().setContext(SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
        Key key = Key.Builder.create(this, "Key")
                .description("ABC Tolls: streams, tables, topics, queues and buckets")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        EncryptedStores stores = new EncryptedStores(this, key, settings);
        stores.encryptLogGroups();

        Stream tollEvents = stores.stream("TollEvents", "toll-events");
        Stream customerWindowTotals = stores.stream("CustomerWindowTotals", "customer-window-totals");
        Stream lowTrafficAlerts = stores.stream("LowTrafficAlerts", "low-traffic-alerts");
        Stream analyticsDeadLetters = stores.stream("AnalyticsDeadLetters", "analytics-dead-letters");

        Bucket archive = stores.bucket("Archive");
        Bucket referenceData = stores.bucket("ReferenceData");
        BucketDeployment referenceDataFiles = BucketDeployment.Builder.create(this, "ReferenceDataFiles")
                .sources(List.of(Source.asset(RepositoryPaths.resolve(PipelineSettings.REFERENCE_DATA_DIR))))
                .destinationBucket(referenceData)
                // A deploy writes the repository's files; it never deletes what else is there
                // (a version operators uploaded under another name).
                .prune(false)
                .logGroup(CustomResourceLogs.of(this))
                .build();
        Findings.acceptBucketDeploymentHandlers(this);

        Table customers = stores.table("Customers", "customerId", null);
        Table ledger = stores.table("Ledger", "pk", "sk");

        Topic customerNotifications = stores.topic("CustomerNotifications", "abc-tolls-customer-notifications.fifo");
        Topic operatorAlerts = stores.topic("OperatorAlerts", null);
        stores.allowAlarmsToPublish(operatorAlerts);

        Queue recordDeadLetters = stores.queue("RecordDeadLetters");
        Queue batchesOnFailure = stores.queue("BatchesOnFailure");

        String functionsJar = RepositoryPaths.resolve(PipelineSettings.FUNCTIONS_JAR);
        Code functionsCode = Code.fromAsset(functionsJar, JarContent.asset(functionsJar));

        KinesisStreamToFunction billing = new KinesisStreamToFunction(
                this,
                "BillingThreshold",
                KinesisStreamToFunctionProps.builder().stream(customerWindowTotals)
                        .code(functionsCode)
                        .handler("org.abctolls.functions.BillingThresholdHandler::handleRequest")
                        .description("Month-to-date totals and billing alerts")
                        .environment(Map.of(
                                "LEDGER_TABLE", ledger.getTableName(),
                                "CUSTOMERS_TABLE", customers.getTableName(),
                                "CUSTOMER_NOTIFICATIONS_TOPIC_ARN", customerNotifications.getTopicArn(),
                                "DEAD_LETTER_QUEUE_URL", recordDeadLetters.getQueueUrl(),
                                "LEDGER_ENTRIES_KEPT", settings.ledgerEntriesKept()))
                        .onFailure(batchesOnFailure)
                        // A window total skipped is a customer billed short: stall and alarm instead.
                        .retryUntilRecordsExpire(true)
                        .eventSource(TollsStack::batches)
                        .build());
        // Its customers' window and month items only: no Scan, Query or DeleteItem. A transaction's
        // Get and Put are authorized as GetItem and PutItem.
        stores.grantItemsUnder(ledger, billing.function(), "C*");
        customers.grant(billing.function(), "dynamodb:GetItem");
        customerNotifications.grantPublish(billing.function());
        recordDeadLetters.grantSendMessages(billing.function());

        KinesisStreamToFunction lowTraffic = new KinesisStreamToFunction(
                this,
                "LowTraffic",
                KinesisStreamToFunctionProps.builder().stream(lowTrafficAlerts)
                        .code(functionsCode)
                        .handler("org.abctolls.functions.LowTrafficHandler::handleRequest")
                        .description("Low-traffic alerts to operators")
                        .environment(Map.of(
                                "LEDGER_TABLE", ledger.getTableName(),
                                "OPERATOR_ALERTS_TOPIC_ARN", operatorAlerts.getTopicArn(),
                                "DEAD_LETTER_QUEUE_URL", recordDeadLetters.getQueueUrl(),
                                "LEDGER_ENTRIES_KEPT", settings.ledgerEntriesKept()))
                        .onFailure(batchesOnFailure)
                        // An alert skipped is a dead sensor nobody hears of: stall and alarm instead.
                        .retryUntilRecordsExpire(true)
                        .eventSource(TollsStack::batches)
                        .build());
        // Its once-per-window markers only, under station ids; never a customer's billing items.
        stores.grantItemsUnder(ledger, lowTraffic.function(), "S*");
        operatorAlerts.grantPublish(lowTraffic.function());
        recordDeadLetters.grantSendMessages(lowTraffic.function());

        StreamToManagedFlink analytics = new StreamToManagedFlink(
                this,
                "Analytics",
                StreamToManagedFlinkProps.builder()
                        .jar(RepositoryPaths.resolve(PipelineSettings.ANALYTICS_JAR))
                        .propertyGroupId(PipelineSettings.ANALYTICS_PROPERTY_GROUP)
                        .input(tollEvents)
                        .customerWindowTotals(customerWindowTotals)
                        .lowTrafficAlerts(lowTrafficAlerts)
                        .deadLetters(analyticsDeadLetters)
                        .referenceData(referenceData)
                        .parallelism(settings.flinkParallelism())
                        .jobSettings(Map.of(
                                "deduplication.ttl",
                                settings.deduplicationTtl(),
                                "validation.future-tolerance",
                                settings.futureToleranceText()))
                        .build());
        // Its first poll must find the files, or it starts with no usable reference data.
        analytics.startAfter(referenceDataFiles);

        StreamToWarehouseProps.Builder warehouseProps = StreamToWarehouseProps.builder()
                .source(tollEvents)
                .archive(archive)
                .key(key)
                .warehouse(settings.warehouse())
                .bufferInterval(PipelineSettings.FIREHOSE_BUFFER_INTERVAL)
                .bufferMib(PipelineSettings.FIREHOSE_BUFFER_MIB)
                .copyRetry(PipelineSettings.WAREHOUSE_COPY_RETRY)
                .futureTolerance(settings.futureToleranceText());
        if (settings.warehouse() == PipelineSettings.Warehouse.REDSHIFT) {
            warehouseProps
                    .functionsCode(functionsCode)
                    .warehouseDdl(RepositoryPaths.sqlFilesIn(PipelineSettings.WAREHOUSE_DDL_DIR));
            // A stack parameter, named plainly: cdk deploy --parameters FirehoseCidr=...
            warehouseProps.firehoseCidr(CfnParameter.Builder.create(this, "FirehoseCidr")
                    .type("String")
                    .allowedPattern("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/(2[7-9]|3[0-2])$")
                    .constraintDescription("an IPv4 range no wider than /27, the size of Firehose's published ranges")
                    .description("Firehose's address range in this region, allowed to reach the Redshift endpoint "
                            + "(Amazon Data Firehose developer guide, 'Grant Firehose access to Amazon Redshift')")
                    .build()
                    .getValueAsString());
        }
        StreamToWarehouse warehouse = new StreamToWarehouse(this, "Warehouse", warehouseProps.build());

        // The records the job refused, with their reasons, kept as long as the archive keeps the
        // records themselves: the stream alone would drop them after its retention.
        StreamToWarehouse deadLetterArchive = new StreamToWarehouse(
                this,
                "DeadLetterArchive",
                StreamToWarehouseProps.builder()
                        .source(analyticsDeadLetters)
                        .archive(archive)
                        .key(key)
                        .warehouse(PipelineSettings.Warehouse.S3)
                        .archivePrefix("dead-letters/")
                        .bufferInterval(PipelineSettings.FIREHOSE_BUFFER_INTERVAL)
                        .bufferMib(PipelineSettings.FIREHOSE_BUFFER_MIB)
                        .build());

        List<Function> watchedFunctions = new ArrayList<>(List.of(billing.function(), lowTraffic.function()));
        warehouse.transformation().ifPresent(watchedFunctions::add);
        new PipelineMonitoring(
                this,
                "Monitoring",
                PipelineMonitoringProps.builder()
                        .input(tollEvents)
                        .silenceAlarm(settings.silenceAlarm())
                        .streams(List.of(tollEvents, customerWindowTotals, lowTrafficAlerts))
                        .deadLetterStreams(List.of(analyticsDeadLetters))
                        .functions(watchedFunctions)
                        .streamConsumers(List.of(billing.function(), lowTraffic.function()))
                        .scheduledFunctions(warehouse.warehouse().stream()
                                .map(RedshiftWarehouse::loaderRotation)
                                .toList())
                        .queues(List.of(recordDeadLetters, batchesOnFailure))
                        .deliveryStreams(Map.of(
                                "Firehose", warehouse.deliveryStream().getRef(),
                                "DeadLetterArchive",
                                        deadLetterArchive.deliveryStream().getRef()))
                        .redshiftDeliveryStreams(
                                warehouse.warehouse().isPresent()
                                        ? Map.of(
                                                "Firehose",
                                                warehouse.deliveryStream().getRef())
                                        : Map.of())
                        .transformingDeliveryStreams(
                                warehouse.transformation().isPresent()
                                        ? Map.of(
                                                "Firehose",
                                                warehouse.deliveryStream().getRef())
                                        : Map.of())
                        .flinkApplicationName(analytics.application().getRef())
                        .alarmTopic(operatorAlerts)
                        .countsThatStayZero(
                                Map.of("BillingAlertsUnconfirmed", PipelineMetrics.billingAlertsUnconfirmed()))
                        .build());

        Findings.acceptGrantWildcards(this);

        output("TollEventsStream", tollEvents.getStreamName());
        output("AnalyticsApplication", analytics.application().getRef());
        output("ReferenceDataBucket", referenceData.getBucketName());
        output("ArchiveBucket", archive.getBucketName());
        output("CustomersTable", customers.getTableName());
        output("OperatorAlertsTopic", operatorAlerts.getTopicArn());
        output("CustomerNotificationsTopic", customerNotifications.getTopicArn());
    }

    /**
     * Three zones also where the template is synthesized without an account or a region (CDK
     * then picks two): a Redshift Serverless workgroup needs subnets in at least three. A stack
     * for a known account and region keeps the zones CDK looks up there.
     */
    @Override
    public List<String> getAvailabilityZones() {
        if (!Token.isUnresolved(getAccount()) && !Token.isUnresolved(getRegion())) {
            return super.getAvailabilityZones();
        }
        return IntStream.range(0, REDSHIFT_SERVERLESS_ZONES)
                .mapToObj(zone -> Fn.select(zone, Fn.getAzs()))
                .toList();
    }

    private static KinesisEventSource.Builder batches(KinesisEventSource.Builder source) {
        return source.batchSize(PipelineSettings.BATCH_SIZE).maxBatchingWindow(PipelineSettings.BATCHING_WINDOW);
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }
}
