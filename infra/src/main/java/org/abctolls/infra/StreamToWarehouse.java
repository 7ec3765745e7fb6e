package org.abctolls.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Every toll event from the stream to the warehouse through Amazon Data Firehose: each
 * buffer lands compressed in S3 (with every record, valid or not, kept in the raw backup),
 * and Firehose COPYs it into the {@code toll_events} table of a Redshift Serverless
 * workgroup. In {@code s3} mode the S3 archive is the destination and there is no warehouse.
 *
 * <p>Redshift Serverless rather than a provisioned cluster: the load is a COPY every few
 * minutes and occasional analyst queries, so paying per RPU-second used beats paying for an
 * always-on node, and there is no cluster to size or patch.
 */
public final class StreamToWarehouse extends Construct {

    static final String DATABASE = "tolls";
    static final String TABLE = "toll_events";
    static final String ERROR_PREFIX = "errors/";
    static final String TRANSFORM_HANDLER = "org.abctolls.functions.WarehouseRecordsHandler::handleRequest";
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

    /**
     * The construct's inputs.
     *
     * @param archivePrefix where in the archive bucket every record is kept ({@code raw/} for the
     *     toll events)
     */
    public record Props(
            IStream source, IBucket archive, IKey key, PipelineSettings.Warehouse warehouse, String archivePrefix) {
        public Props {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(warehouse, "warehouse");
            Objects.requireNonNull(archivePrefix, "archivePrefix");
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Props}. */
        public static final class Builder {
            private IStream source;
            private IBucket archive;
            private IKey key;
            private PipelineSettings.Warehouse warehouse = PipelineSettings.Warehouse.REDSHIFT;
            private String archivePrefix = "raw/";

            public Builder source(IStream value) {
                source = value;
                return this;
            }

            public Builder archive(IBucket value) {
                archive = value;
                return this;
            }

            public Builder key(IKey value) {
                key = value;
                return this;
            }

            public Builder warehouse(PipelineSettings.Warehouse value) {
                warehouse = value;
                return this;
            }

            public Builder archivePrefix(String value) {
                archivePrefix = value;
                return this;
            }

            public Props build() {
                return new Props(source, archive, key, warehouse, archivePrefix);
            }
        }
    }

    private final CfnDeliveryStream deliveryStream;
    /** The deploy-time DDL (Redshift mode): COPY needs its table. */
    private AwsCustomResource warehouseDdl;

    public StreamToWarehouse(Construct scope, String id, Props props) {
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
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
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
        if (warehouseDdl != null) {
            deliveryStream.getNode().addDependency(warehouseDdl);
        }
        Findings.accept(
                deliveryStream,
                "AwsSolutions-KDF1",
                "Server-side encryption of a delivery stream applies to Direct PUT only; this one reads a "
                        + "KMS-encrypted Kinesis stream and writes KMS-encrypted objects");
        deliveryStream.getNode().addDependency(role);
    }

    private static CfnDeliveryStream.S3DestinationConfigurationProperty s3(
            Props props, Role role, String prefix, CfnDeliveryStream.CloudWatchLoggingOptionsProperty logging) {
        return CfnDeliveryStream.S3DestinationConfigurationProperty.builder()
                .bucketArn(props.archive().getBucketArn())
                .roleArn(role.getRoleArn())
                .prefix(prefix + "!{timestamp:yyyy/MM/dd/HH}/")
                .errorOutputPrefix(ERROR_PREFIX + prefix + "!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/")
                .compressionFormat("GZIP")
                .bufferingHints(CfnDeliveryStream.BufferingHintsProperty.builder()
                        .intervalInSeconds((int) PipelineSettings.FIREHOSE_BUFFER_INTERVAL.toSeconds())
                        .sizeInMBs(PipelineSettings.FIREHOSE_BUFFER_MIB)
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
            Props props, Role role, CfnDeliveryStream.CloudWatchLoggingOptionsProperty logging) {
        Function transform = JavaHandlerFunction.create(
                this,
                "Transform",
                "TransformLogs",
                "Firehose's transformation before the warehouse: the contract's parser judges each record",
                TRANSFORM_HANDLER,
                builder -> builder);
        transform.grantInvoke(role);
        Findings.acceptMatching(
                role,
                "AwsSolutions-IAM5",
                "/^Resource::<"
                        + Stack.of(this).getLogicalId((software.amazon.awscdk.CfnElement)
                                transform.getNode().getDefaultChild())
                        + "\\.Arn>:\\*$/",
                "grantInvoke lets Firehose invoke its own transformation function's versions (function:*)");
        // At stack level, so that its name is plain: cdk deploy --parameters FirehoseCidr=...
        CfnParameter firehoseCidr = CfnParameter.Builder.create(Stack.of(this), "FirehoseCidr")
                .type("String")
                .allowedPattern("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/(2[7-9]|3[0-2])$")
                .constraintDescription("an IPv4 range no wider than /27, the size of Firehose's published ranges")
                .description("Firehose's address range in this region, allowed to reach the Redshift endpoint "
                        + "(Amazon Data Firehose developer guide, 'Grant Firehose access to Amazon Redshift')")
                .build();
        Vpc vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(3)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("public")
                        .subnetType(SubnetType.PUBLIC)
                        .build()))
                .flowLogs(Map.of(
                        "All",
                        FlowLogOptions.builder()
                                .destination(FlowLogDestination.toCloudWatchLogs())
                                .build()))
                .build();
        SecurityGroup firehoseOnly = SecurityGroup.Builder.create(this, "RedshiftAccess")
                .vpc(vpc)
                .description("Redshift endpoint - Firehose addresses only")
                .allowAllOutbound(false)
                .build();
        firehoseOnly.addIngressRule(Peer.ipv4(firehoseCidr.getValueAsString()), Port.tcp(5439), "Firehose COPY");
        Findings.accept(
                firehoseOnly,
                "CdkNagValidationFailure",
                "EC23 cannot read a parameter; the only ingress is port 5439 from the FirehoseCidr parameter");

        // Generated at deploy time; the template carries only a dynamic reference to it.
        Secret admin = Secret.Builder.create(this, "AdminCredentials")
                .description("Redshift Serverless admin of the ABC Tolls warehouse (Firehose and the DDL use it)")
                .encryptionKey(props.key())
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"tolls_admin\"}")
                        .generateStringKey("password")
                        .excludeCharacters("\"'\\/@ ")
                        .passwordLength(32)
                        .build())
                .build();
        CfnNamespace namespace = CfnNamespace.Builder.create(this, "Namespace")
                .namespaceName("abc-tolls")
                .dbName(DATABASE)
                .adminUsername(admin.secretValueFromJson("username").unsafeUnwrap())
                .adminUserPassword(admin.secretValueFromJson("password").unsafeUnwrap())
                .kmsKeyId(props.key().getKeyId())
                .logExports(List.of("userlog", "connectionlog", "useractivitylog"))
                .build();
        CfnWorkgroup workgroup = CfnWorkgroup.Builder.create(this, "Workgroup")
                .workgroupName("abc-tolls")
                .namespaceName(namespace.getNamespaceName())
                .baseCapacity(8)
                .publiclyAccessible(true)
                .enhancedVpcRouting(false)
                .subnetIds(vpc.selectSubnets().getSubnetIds())
                .securityGroupIds(List.of(firehoseOnly.getSecurityGroupId()))
                .build();
        workgroup.getNode().addDependency(namespace);
        Findings.accept(
                admin,
                "AwsSolutions-SMG4",
                "Rotating the Redshift Serverless admin password needs a rotation function inside the VPC; "
                        + "rotate it with 'aws redshift-serverless update-namespace' when policy requires");
        String secretArn = admin.getSecretArn();
        admin.grantRead(role);

        // The table and the analysts' view, in one transaction; run again when their SQL changes.
        AwsCustomResource table = AwsCustomResource.Builder.create(this, "TollEventsTable")
                .onUpdate(AwsSdkCall.builder()
                        .service("RedshiftData")
                        .action("batchExecuteStatement")
                        // In a fixed order (Map.of's differs from one JVM to the next): the same
                        // stack synthesizes the same template, and a deploy re-runs the DDL only
                        // when it changed.
                        .parameters(new TreeMap<>(Map.of(
                                "WorkgroupName",
                                workgroup.getWorkgroupName(),
                                "Database",
                                DATABASE,
                                "SecretArn",
                                secretArn,
                                "Sqls",
                                ddl())))
                        .physicalResourceId(PhysicalResourceId.of(TABLE))
                        .build())
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(
                        PolicyStatement.Builder.create()
                                .actions(List.of("redshift-data:BatchExecuteStatement"))
                                .resources(List.of(workgroup.getAttrWorkgroupWorkgroupArn()))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("secretsmanager:GetSecretValue"))
                                .resources(List.of(secretArn))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("kms:Decrypt"))
                                .resources(List.of(props.key().getKeyArn()))
                                .build())))
                .installLatestAwsSdk(false)
                .build();
        table.getNode().addDependency(workgroup);
        warehouseDdl = table;

        return CfnDeliveryStream.RedshiftDestinationConfigurationProperty.builder()
                .clusterJdbcurl("jdbc:redshift://" + workgroup.getAttrWorkgroupEndpointAddress() + ":5439/" + DATABASE)
                .roleArn(role.getRoleArn())
                .secretsManagerConfiguration(CfnDeliveryStream.SecretsManagerConfigurationProperty.builder()
                        .enabled(true)
                        .secretArn(secretArn)
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
                                                .parameterValue(transform.getFunctionArn())
                                                .build(),
                                        CfnDeliveryStream.ProcessorParameterProperty.builder()
                                                .parameterName("NumberOfRetries")
                                                .parameterValue("3")
                                                .build()))
                                .build()))
                        .build())
                .copyCommand(CfnDeliveryStream.CopyCommandProperty.builder()
                        .dataTableName(TABLE)
                        // The record's fields only: loadedat and loadseq take their defaults,
                        // whatever keys a record carries.
                        .dataTableColumns(TABLE_COLUMNS)
                        .copyOptions(COPY_OPTIONS)
                        .build())
                .s3Configuration(s3(props, role, REDSHIFT_INTERMEDIATE_PREFIX, logging))
                .s3BackupMode("Enabled")
                .s3BackupConfiguration(s3(props, role, props.archivePrefix(), logging))
                .retryOptions(CfnDeliveryStream.RedshiftRetryOptionsProperty.builder()
                        .durationInSeconds(PipelineSettings.WAREHOUSE_COPY_RETRY.toSeconds())
                        .build())
                .cloudWatchLoggingOptions(logging)
                .build();
    }

    private static List<String> ddl() {
        Path folder = Path.of(RepositoryPaths.resolve(PipelineSettings.WAREHOUSE_DDL_DIR));
        try (Stream<Path> files = Files.list(folder)) {
            List<String> statements = new ArrayList<>();
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".sql")).sorted().toList()) {
                statements.add(Files.readString(file, StandardCharsets.UTF_8));
            }
            return statements;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the warehouse DDL in " + folder, e);
        }
    }

    public CfnDeliveryStream deliveryStream() {
        return deliveryStream;
    }
}
