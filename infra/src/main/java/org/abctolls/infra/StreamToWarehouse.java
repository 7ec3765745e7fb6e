package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Every toll event from the stream to the warehouse through Amazon Data Firehose: each
 * buffer lands compressed in S3 (with every record, valid or not, kept in the raw backup),
 * and Firehose COPYs it into the {@code toll_events} table of a Redshift Serverless
 * workgroup ({@link RedshiftWarehouse}). In {@code s3} mode the S3 archive is the destination
 * and there is no warehouse.
 */
public final class StreamToWarehouse extends Construct {

    static final String ERROR_PREFIX = "errors/";
    static final String TRANSFORM_HANDLER = "org.abctolls.functions.WarehouseRecordsHandler::handleRequest";
    /** How long Firehose gathers records before it invokes the transformation. */
    static final int TRANSFORM_BUFFER_SECONDS = 60;
    /** The columns COPY fills, one per field of contract section 1. */
    static final String TABLE_COLUMNS =
            "eventid,stationid,laneid,transceiverid,customerid,vehicleclass,amountcents,eventtime";

    static final String REDSHIFT_INTERMEDIATE_PREFIX = "redshift-intermediate/";
    /**
     * JSON keys match the lower-case columns whatever their case; ISO-8601 instants with Z load
     * into TIMESTAMPTZ; lines that are not valid records are skipped (and listed in
     * sys_load_error_detail) rather than failing the whole file: they are kept in the raw archive.
     * No ACCEPTINVCHARS: bytes that are not UTF-8 make a malformed record (contract section 1),
     * which must not load with its bad bytes replaced.
     */
    static final String COPY_OPTIONS = "FORMAT AS JSON 'auto ignorecase' GZIP TIMEFORMAT 'auto' MAXERROR 100000";

    private final CfnDeliveryStream deliveryStream;
    private Function transformation;
    /** The warehouse (Redshift mode). */
    private RedshiftWarehouse warehouse;

    public StreamToWarehouse(Construct scope, String id, StreamToWarehouseProps props) {
        super(scope, id);
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("firehose.amazonaws.com"))
                .description("Firehose (" + id + "): reads its stream into the archive"
                        + (props.warehouse() == PipelineSettings.Warehouse.REDSHIFT ? " and the warehouse" : ""))
                .build();
        props.source().grantRead(role);
        // What Firehose's S3 destination documents that it needs, and no delete.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"))
                .resources(List.of(props.archive().getBucketArn()))
                .build());
        // Objects only under this delivery stream's own prefixes (and their error prefixes).
        List<String> prefixes = props.warehouse() == PipelineSettings.Warehouse.REDSHIFT
                ? List.of(props.archivePrefix(), REDSHIFT_INTERMEDIATE_PREFIX)
                : List.of(props.archivePrefix());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"))
                .resources(prefixes.stream()
                        .flatMap(prefix -> Stream.of(
                                props.archive().arnForObjects(prefix + "*"),
                                props.archive().arnForObjects(ERROR_PREFIX + prefix + "*")))
                        .toList())
                .build());
        props.key().grantEncryptDecrypt(role);
        // Kept after the stack, as the functions' logs are: what happened is read after the fact.
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .build();
        LogStream s3Delivery =
                LogStream.Builder.create(this, "S3Delivery").logGroup(logs).build();
        logs.grantWrite(role);
        CfnDeliveryStream.CloudWatchLoggingOptionsProperty logging =
                CfnDeliveryStream.CloudWatchLoggingOptionsProperty.builder()
                        .enabled(true)
                        .logGroupName(logs.getLogGroupName())
                        .logStreamName(s3Delivery.getLogStreamName())
                        .build();
        CfnDeliveryStream.Builder stream = CfnDeliveryStream.Builder.create(this, "DeliveryStream")
                .deliveryStreamType("KinesisStreamAsSource")
                .kinesisStreamSourceConfiguration(CfnDeliveryStream.KinesisStreamSourceConfigurationProperty.builder()
                        .kinesisStreamArn(props.source().getStreamArn())
                        .roleArn(role.getRoleArn())
                        .build());
        CfnDeliveryStream.S3DestinationConfigurationProperty archive = s3(props, role, props.archivePrefix(), logging);
        if (props.warehouse() == PipelineSettings.Warehouse.S3) {
            stream.s3DestinationConfiguration(archive);
        } else {
            stream.redshiftDestinationConfiguration(redshift(props, role, logging));
        }
        deliveryStream = stream.build();
        if (warehouse != null) {
            // COPY needs the table and its user.
            deliveryStream.getNode().addDependency(warehouse.schema());
        }
        Findings.accept(
                deliveryStream,
                "AwsSolutions-KDF1",
                "Server-side encryption of a delivery stream applies to Direct PUT only; this one reads a "
                        + "KMS-encrypted Kinesis stream and writes KMS-encrypted objects");
        deliveryStream.getNode().addDependency(role);
    }

    private static CfnDeliveryStream.S3DestinationConfigurationProperty s3(
            StreamToWarehouseProps props,
            Role role,
            String prefix,
            CfnDeliveryStream.CloudWatchLoggingOptionsProperty logging) {
        return CfnDeliveryStream.S3DestinationConfigurationProperty.builder()
                .bucketArn(props.archive().getBucketArn())
                .roleArn(role.getRoleArn())
                .prefix(prefix + "!{timestamp:yyyy/MM/dd/HH}/")
                .errorOutputPrefix(ERROR_PREFIX + prefix + "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/")
                .compressionFormat("GZIP")
                .bufferingHints(CfnDeliveryStream.BufferingHintsProperty.builder()
                        .intervalInSeconds((int) props.bufferInterval().toSeconds())
                        .sizeInMBs(props.bufferMib())
                        .build())
                .encryptionConfiguration(CfnDeliveryStream.EncryptionConfigurationProperty.builder()
                        .kmsEncryptionConfig(CfnDeliveryStream.KMSEncryptionConfigProperty.builder()
                                .awskmsKeyArn(props.key().getKeyArn())
                                .build())
                        .build())
                .cloudWatchLoggingOptions(logging)
                .build();
    }

    private CfnDeliveryStream.RedshiftDestinationConfigurationProperty redshift(
            StreamToWarehouseProps props, Role role, CfnDeliveryStream.CloudWatchLoggingOptionsProperty logging) {
        transformation = JavaHandlerFunction.create(
                this,
                "Transform",
                "TransformLogs",
                props.functionsCode(),
                "Firehose's transformation before the warehouse: the contract's parser judges each record",
                TRANSFORM_HANDLER,
                builder -> builder.environment(Map.of("FUTURE_TOLERANCE", props.futureTolerance())));
        transformation.grantInvoke(role);
        Findings.acceptMatching(
                role,
                "AwsSolutions-IAM5",
                "/^Resource::<"
                        + Stack.of(this).getLogicalId((software.amazon.awscdk.CfnElement)
                                transformation.getNode().getDefaultChild())
                        + "\\.Arn>:\\*$/",
                "grantInvoke lets Firehose invoke its own transformation function's versions (function:*)");
        // Firehose COPYs as a user that may only INSERT into the table. The id Default leaves
        // the warehouse's logical ids as they were before it had a construct of its own, so that
        // an update does not replace a deployed namespace.
        warehouse = new RedshiftWarehouse(
                this,
                "Default",
                new RedshiftWarehouseProps(
                        props.key(), props.firehoseCidr(), role, props.functionsCode(), props.warehouseDdl()));

        return CfnDeliveryStream.RedshiftDestinationConfigurationProperty.builder()
                .clusterJdbcurl(warehouse.jdbcUrl())
                .roleArn(role.getRoleArn())
                .secretsManagerConfiguration(CfnDeliveryStream.SecretsManagerConfigurationProperty.builder()
                        .enabled(true)
                        .secretArn(warehouse.loaderCredentials().getSecretArn())
                        .roleArn(role.getRoleArn())
                        .build())
                // The contract's parser judges every record before COPY sees it: a passage goes
                // on as canonical JSON on a line of its own, a malformed record to the error
                // prefix. The raw backup keeps the records as they came.
                .processingConfiguration(CfnDeliveryStream.ProcessingConfigurationProperty.builder()
                        .enabled(true)
                        .processors(List.of(CfnDeliveryStream.ProcessorProperty.builder()
                                .type("Lambda")
                                .parameters(List.of(
                                        CfnDeliveryStream.ProcessorParameterProperty.builder()
                                                .parameterName("LambdaArn")
                                                .parameterValue(transformation.getFunctionArn())
                                                .build(),
                                        CfnDeliveryStream.ProcessorParameterProperty.builder()
                                                .parameterName("NumberOfRetries")
                                                .parameterValue("3")
                                                .build(),
                                        // Firehose's defaults, written down: they count towards
                                        // the warehouse's freshness (PipelineSettings).
                                        CfnDeliveryStream.ProcessorParameterProperty.builder()
                                                .parameterName("BufferIntervalInSeconds")
                                                .parameterValue(String.valueOf(TRANSFORM_BUFFER_SECONDS))
                                                .build(),
                                        CfnDeliveryStream.ProcessorParameterProperty.builder()
                                                .parameterName("BufferSizeInMBs")
                                                .parameterValue("1")
                                                .build()))
                                .build()))
                        .build())
                .copyCommand(CfnDeliveryStream.CopyCommandProperty.builder()
                        .dataTableName(RedshiftWarehouse.TABLE)
                        // The record's fields only: loadedat and loadseq take their defaults,
                        // whatever keys a record carries.
                        .dataTableColumns(TABLE_COLUMNS)
                        .copyOptions(COPY_OPTIONS)
                        .build())
                .s3Configuration(s3(props, role, REDSHIFT_INTERMEDIATE_PREFIX, logging))
                .s3BackupMode("Enabled")
                .s3BackupConfiguration(s3(props, role, props.archivePrefix(), logging))
                .retryOptions(CfnDeliveryStream.RedshiftRetryOptionsProperty.builder()
                        .durationInSeconds(props.copyRetry().toSeconds())
                        .build())
                .cloudWatchLoggingOptions(logging)
                .build();
    }

    public CfnDeliveryStream deliveryStream() {
        return deliveryStream;
    }

    /** Firehose's transformation before the warehouse; none in {@code s3} mode. */
    public Optional<Function> transformation() {
        return Optional.ofNullable(transformation);
    }

    /** The warehouse; none in {@code s3} mode. */
    public Optional<RedshiftWarehouse> warehouse() {
        return Optional.ofNullable(warehouse);
    }
}
