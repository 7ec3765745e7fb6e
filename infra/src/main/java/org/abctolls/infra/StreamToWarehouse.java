package org.abctolls.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.LogOptions;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.ManagedPolicy;
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
import software.amazon.awscdk.services.secretsmanager.RotationSchedule;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
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

    static final String NAMESPACE = "abc-tolls";
    static final String DATABASE = "tolls";
    static final String ADMIN_USER = "tolls_admin";
    /** The first of the two loader users; the other is this name with {@code _clone}. */
    static final String LOADER_USER = "tolls_loader";
    /** What a plain Redshift password may not hold, and a space. */
    static final String EXCLUDED_PASSWORD_CHARACTERS = "\"'\\/@ ";

    static final String SCHEMA_HANDLER = "org.abctolls.functions.WarehouseSchemaHandler";
    static final String ROTATION_HANDLER = "org.abctolls.functions.WarehouseLoaderRotationHandler::handleRequest";
    /** Where the table is: Redshift's default schema. */
    static final String SCHEMA = "public";

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
     * @param firehoseCidr Firehose's address range in the region (a deploy-time parameter's
     *     value), the only one the Redshift endpoint admits; for the Redshift warehouse only
     */
    public record Props(
            IStream source,
            IBucket archive,
            IKey key,
            PipelineSettings.Warehouse warehouse,
            String archivePrefix,
            String firehoseCidr) {
        public Props {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(archive, "archive");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(warehouse, "warehouse");
            Objects.requireNonNull(archivePrefix, "archivePrefix");
            if (warehouse == PipelineSettings.Warehouse.REDSHIFT) {
                Objects.requireNonNull(firehoseCidr, "firehoseCidr (the Redshift endpoint admits only Firehose)");
            }
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
            private String firehoseCidr;

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

            public Builder firehoseCidr(String value) {
                firehoseCidr = value;
                return this;
            }

            public Props build() {
                return new Props(source, archive, key, warehouse, archivePrefix, firehoseCidr);
            }
        }
    }

    private final CfnDeliveryStream deliveryStream;
    /** The loader's password rotation (Redshift mode). */
    private Function loaderRotation;
    /** The deploy-time schema (Redshift mode): COPY needs its table and its user. */
    private CustomResource warehouseSchema;

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
        if (warehouseSchema != null) {
            deliveryStream.getNode().addDependency(warehouseSchema);
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
        firehoseOnly.addIngressRule(Peer.ipv4(props.firehoseCidr()), Port.tcp(5439), "Firehose COPY");
        Findings.accept(
                firehoseOnly,
                "CdkNagValidationFailure",
                "EC23 cannot read a parameter; the only ingress is port 5439 from the FirehoseCidr parameter");

        // Redshift makes, keeps and rotates the admin's password in Secrets Manager; only the
        // deploy-time schema and the loader's rotation use it, through the Data API.
        CfnNamespace namespace = CfnNamespace.Builder.create(this, "Namespace")
                .namespaceName(NAMESPACE)
                .dbName(DATABASE)
                .adminUsername(ADMIN_USER)
                .manageAdminPassword(true)
                .adminPasswordSecretKmsKeyId(props.key().getKeyArn())
                .kmsKeyId(props.key().getKeyId())
                .logExports(List.of("userlog", "connectionlog", "useractivitylog"))
                .build();
        CfnWorkgroup workgroup = CfnWorkgroup.Builder.create(this, "Workgroup")
                .workgroupName(NAMESPACE)
                .namespaceName(namespace.getNamespaceName())
                .baseCapacity(8)
                .publiclyAccessible(true)
                .enhancedVpcRouting(false)
                .subnetIds(vpc.selectSubnets().getSubnetIds())
                .securityGroupIds(List.of(firehoseOnly.getSecurityGroupId()))
                .build();
        workgroup.getNode().addDependency(namespace);
        WarehouseAdminAccess admin = adminAccess(namespace, workgroup, props.key());

        // Firehose COPYs as a user that may only INSERT into the table (WarehouseUsers), whose
        // password rotates every month by alternating between two such users.
        Secret loader = Secret.Builder.create(this, "LoaderCredentials")
                .description("The Redshift user Firehose COPYs into " + TABLE + " as (INSERT only)")
                .encryptionKey(props.key())
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + LOADER_USER + "\"}")
                        .generateStringKey("password")
                        .excludeCharacters(EXCLUDED_PASSWORD_CHARACTERS)
                        .requireEachIncludedType(true)
                        .passwordLength(32)
                        .build())
                .build();
        loader.grantRead(role);

        CustomResource schema = schema(workgroup, admin, loader);
        Function rotation = JavaHandlerFunction.create(
                this,
                "LoaderRotation",
                "LoaderRotationLogs",
                "Rotates the warehouse loader's password, alternating between its two users",
                ROTATION_HANDLER,
                builder -> builder.timeout(Duration.minutes(2))
                        .environment(new TreeMap<>(Map.of(
                                "WAREHOUSE_WORKGROUP",
                                workgroup.getWorkgroupName(),
                                "WAREHOUSE_DATABASE",
                                DATABASE,
                                "WAREHOUSE_ADMIN_SECRET_ARN",
                                admin.secretArn(),
                                "WAREHOUSE_SCHEMA",
                                SCHEMA,
                                "WAREHOUSE_TABLE",
                                TABLE))));
        Findings.acceptMatching(
                rotation,
                "AwsSolutions-IAM5",
                "/^Resource::\\*$/",
                "X-Ray's PutTraceSegments, the Data API's DescribeStatement and GetStatementResult (which show a "
                        + "role only its own statements) and Secrets Manager's GetRandomPassword take no resource");
        admin.grant(
                rotation,
                List.of("redshift-data:ExecuteStatement"),
                List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult"));
        RotationSchedule schedule = loader.addRotationSchedule(
                "Rotation",
                RotationScheduleOptions.builder()
                        .rotationLambda(rotation)
                        .automaticallyAfter(PipelineSettings.WAREHOUSE_LOADER_ROTATION)
                        .build());
        // The first rotation starts as soon as the schedule exists: both users must be there.
        schedule.getNode().addDependency(schema);
        warehouseSchema = schema;
        this.loaderRotation = rotation;

        return CfnDeliveryStream.RedshiftDestinationConfigurationProperty.builder()
                .clusterJdbcurl("jdbc:redshift://" + workgroup.getAttrWorkgroupEndpointAddress() + ":5439/" + DATABASE)
                .roleArn(role.getRoleArn())
                .secretsManagerConfiguration(CfnDeliveryStream.SecretsManagerConfigurationProperty.builder()
                        .enabled(true)
                        .secretArn(loader.getSecretArn())
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

    /**
     * What running SQL as the warehouse's admin takes through the Data API: its statements on
     * the workgroup, the admin secret that Redshift manages and the key that secret is
     * encrypted with.
     */
    private record WarehouseAdminAccess(String secretArn, String workgroupArn, IKey key) {

        /**
         * @param submit the Data API actions that run SQL, allowed on this workgroup only
         * @param follow the actions that follow a statement by its id; they take no resource,
         *     and the Data API lets a role see only the statements it ran itself
         */
        void grant(IGrantable grantee, List<String> submit, List<String> follow) {
            grantee.getGrantPrincipal()
                    .addToPrincipalPolicy(PolicyStatement.Builder.create()
                            .actions(submit)
                            .resources(List.of(workgroupArn))
                            .build());
            grantee.getGrantPrincipal()
                    .addToPrincipalPolicy(PolicyStatement.Builder.create()
                            .actions(follow)
                            .resources(List.of("*"))
                            .build());
            grantee.getGrantPrincipal()
                    .addToPrincipalPolicy(PolicyStatement.Builder.create()
                            .actions(List.of("secretsmanager:GetSecretValue"))
                            .resources(List.of(secretArn))
                            .build());
            grantee.getGrantPrincipal()
                    .addToPrincipalPolicy(PolicyStatement.Builder.create()
                            .actions(List.of("kms:Decrypt"))
                            .resources(List.of(key.getKeyArn()))
                            .conditions(Map.of(
                                    "StringEquals",
                                    Map.of(
                                            "kms:ViaService",
                                            "secretsmanager." + Stack.of(key).getRegion() + ".amazonaws.com")))
                            .build());
        }
    }

    /**
     * The admin secret's ARN, which CloudFormation does not return for a namespace that manages
     * its admin password (aws-cdk#29930), read from Redshift Serverless after the namespace
     * exists: so every grant on it names that one secret.
     */
    private WarehouseAdminAccess adminAccess(CfnNamespace namespace, CfnWorkgroup workgroup, IKey key) {
        String secretField = "namespace.adminPasswordSecretArn";
        AwsSdkCall getNamespace = AwsSdkCall.builder()
                .service("RedshiftServerless")
                .action("getNamespace")
                .parameters(Map.of("namespaceName", namespace.getAttrNamespaceNamespaceName()))
                .physicalResourceId(PhysicalResourceId.of(NAMESPACE + "-admin-secret"))
                .outputPaths(List.of(secretField))
                .build();
        AwsCustomResource lookup = AwsCustomResource.Builder.create(this, "AdminSecret")
                .onCreate(getNamespace)
                .onUpdate(getNamespace)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("redshift-serverless:GetNamespace"))
                        .resources(List.of(namespace.getAttrNamespaceNamespaceArn()))
                        .build())))
                .installLatestAwsSdk(false)
                .build();
        return new WarehouseAdminAccess(
                lookup.getResponseField(secretField), workgroup.getAttrWorkgroupWorkgroupArn(), key);
    }

    /**
     * The table, the analysts' view and the loader users, in one transaction when the stack is
     * made and again whenever their SQL changes; the deployment waits until Redshift finished
     * them (WarehouseSchemaHandler's isComplete, asked every 10 seconds).
     */
    private CustomResource schema(CfnWorkgroup workgroup, WarehouseAdminAccess admin, Secret loader) {
        // One role for both handlers: the Data API lets a role follow only the statements it ran.
        Role handlers = Role.Builder.create(this, "SchemaRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("The warehouse schema's handlers: submit the DDL, then follow it")
                .managedPolicies(
                        List.of(ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")))
                .build();
        Function onEvent = JavaHandlerFunction.create(
                this,
                "SchemaOnEvent",
                "SchemaOnEventLogs",
                "Submits the warehouse's table, view and loader users through the Redshift Data API",
                SCHEMA_HANDLER + "::onEvent",
                // It waits for Redshift to say which users exist; a paused workgroup takes a while to answer.
                builder -> builder.role(handlers).timeout(Duration.minutes(5)));
        Function isComplete = JavaHandlerFunction.create(
                this,
                "SchemaComplete",
                "SchemaCompleteLogs",
                "Tells the deployment whether the warehouse schema's statement finished",
                SCHEMA_HANDLER + "::isComplete",
                builder -> builder.role(handlers));
        // onEvent asks which loader users exist (ExecuteStatement, GetStatementResult) before it
        // submits the batch; isComplete follows the batch.
        admin.grant(
                handlers,
                List.of("redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"),
                List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult"));
        loader.grantRead(handlers);
        Findings.acceptMatching(
                handlers,
                "AwsSolutions-IAM5",
                "/^Resource::\\*$/",
                "X-Ray's PutTraceSegments and the Data API's DescribeStatement and GetStatementResult take no "
                        + "resource; the Data API lets a role see only the statements it ran");
        Provider provider = Provider.Builder.create(this, "SchemaProvider")
                .onEventHandler(onEvent)
                .isCompleteHandler(isComplete)
                .queryInterval(Duration.seconds(10))
                .totalTimeout(PipelineSettings.WAREHOUSE_SCHEMA_TIMEOUT)
                .disableWaiterStateMachineLogging(false)
                .waiterStateMachineLogOptions(LogOptions.builder()
                        .destination(LogGroup.Builder.create(this, "SchemaWaiterLogs")
                                .retention(RetentionDays.ONE_MONTH)
                                .removalPolicy(RemovalPolicy.DESTROY)
                                .build())
                        .level(LogLevel.ALL)
                        .build())
                .build();
        Findings.acceptMatching(
                provider,
                "AwsSolutions-IAM5",
                "/^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$/",
                "The CDK provider framework invokes its own handler functions' versions (function:*)");
        Findings.acceptMatching(
                provider,
                "AwsSolutions-IAM5",
                "/^Resource::\\*$/",
                "Step Functions' log delivery to CloudWatch Logs (logs:CreateLogDelivery and the like) takes no "
                        + "resource");
        Findings.accept(
                provider,
                "AwsSolutions-SF2",
                "The CDK provider framework's waiter only calls the isComplete function every 10 seconds while a "
                        + "deployment runs; that function is traced");
        CustomResource schema = CustomResource.Builder.create(this, "Schema")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::WarehouseSchema")
                // In a fixed order (Map.of's differs from one JVM to the next): the same stack
                // synthesizes the same template, and a deploy runs the schema again only when
                // something in it changed.
                .properties(new TreeMap<>(Map.of(
                        "WorkgroupName", workgroup.getWorkgroupName(),
                        "Database", DATABASE,
                        "AdminSecretArn", admin.secretArn(),
                        "LoaderSecretArn", loader.getSecretArn(),
                        "Schema", SCHEMA,
                        "Table", TABLE,
                        "Sqls", ddl())))
                .build();
        schema.getNode().addDependency(workgroup);
        return schema;
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

    /** The function that rotates the warehouse loader's password; none in {@code s3} mode. */
    public Optional<Function> loaderRotation() {
        return Optional.ofNullable(loaderRotation);
    }
}
