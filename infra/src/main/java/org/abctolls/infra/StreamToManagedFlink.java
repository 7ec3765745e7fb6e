package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplication;
import software.amazon.awscdk.services.kinesisanalyticsv2.CfnApplicationCloudWatchLoggingOption;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.constructs.Construct;
import software.constructs.IDependable;

/**
 * The analytics jar as a Managed Service for Apache Flink application (Flink 1.19): its
 * runtime properties are the job's settings, checkpoints every minute, autoscaling from the
 * configured parallelism, logs to CloudWatch; its role may read the input stream and the
 * reference data and write the three output streams, nothing else.
 */
public final class StreamToManagedFlink extends Construct {

    private final CfnApplication application;
    private final AwsCustomResource start;
    private final CfnApplicationCloudWatchLoggingOption logging;
    private final LogGroup logs;

    public StreamToManagedFlink(Construct scope, String id, StreamToManagedFlinkProps props) {
        super(scope, id);
        Role role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("kinesisanalytics.amazonaws.com"))
                .description("The analytics job: reads toll events and reference data, writes its outputs")
                .build();
        AssetOptions byContent = JarContent.asset(props.jar());
        Asset jar = Asset.Builder.create(this, "Jar")
                .path(props.jar())
                .assetHashType(byContent.getAssetHashType())
                .assetHash(byContent.getAssetHash())
                .build();
        // The jar alone: Asset.grantRead would open the whole asset bucket, every stack's assets.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resources(List.of(jar.getBucket().arnForObjects(jar.getS3ObjectKey())))
                .build());
        props.input().grantRead(role);
        props.customerWindowTotals().grantWrite(role);
        props.lowTrafficAlerts().grantWrite(role);
        props.deadLetters().grantWrite(role);
        props.referenceData().grantRead(role);

        // Kept after the stack, as the functions' logs are: what happened is read after the fact.
        logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .build();
        LogStream logStream =
                LogStream.Builder.create(this, "LogStream").logGroup(logs).build();
        logs.grantWrite(role);
        // Managed Flink's logging policy (its developer guide): it looks the group and stream up
        // before it writes. Listing groups has no resource narrower than all of them.
        logs.grant(role, "logs:DescribeLogStreams");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:DescribeLogGroups"))
                .resources(List.of(Stack.of(this)
                        .formatArn(software.amazon.awscdk.ArnComponents.builder()
                                .service("logs")
                                .resource("log-group")
                                .resourceName("*")
                                .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME)
                                .build())))
                .build());
        Findings.acceptMatching(
                role,
                "AwsSolutions-IAM5",
                "/^Resource::arn:<AWS::Partition>:logs:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12}):log-group:\\*$/",
                "logs:DescribeLogGroups, which Managed Flink's logging needs, applies to no narrower resource");

        String region = Stack.of(this).getRegion();
        application = CfnApplication.Builder.create(this, "Application")
                .runtimeEnvironment("FLINK-1_19")
                .serviceExecutionRole(role.getRoleArn())
                .applicationDescription("ABC Tolls analytics: 10-minute customer totals, 30-minute station counts")
                .applicationConfiguration(CfnApplication.ApplicationConfigurationProperty.builder()
                        .applicationCodeConfiguration(CfnApplication.ApplicationCodeConfigurationProperty.builder()
                                .codeContentType("ZIPFILE")
                                .codeContent(CfnApplication.CodeContentProperty.builder()
                                        .s3ContentLocation(CfnApplication.S3ContentLocationProperty.builder()
                                                .bucketArn(jar.getBucket().getBucketArn())
                                                .fileKey(jar.getS3ObjectKey())
                                                .build())
                                        .build())
                                .build())
                        .environmentProperties(CfnApplication.EnvironmentPropertiesProperty.builder()
                                .propertyGroups(List.of(CfnApplication.PropertyGroupProperty.builder()
                                        .propertyGroupId(props.propertyGroupId())
                                        .propertyMap(withJobSettings(
                                                Map.of(
                                                        "aws.region", region,
                                                        "input.stream",
                                                                props.input().getStreamName(),
                                                        "input.initial-position", "TRIM_HORIZON",
                                                        "output.customer-window-totals.stream-arn",
                                                                props.customerWindowTotals()
                                                                        .getStreamArn(),
                                                        "output.low-traffic-alerts.stream-arn",
                                                                props.lowTrafficAlerts()
                                                                        .getStreamArn(),
                                                        "output.dead-letters.stream-arn",
                                                                props.deadLetters()
                                                                        .getStreamArn(),
                                                        "reference.bucket",
                                                                props.referenceData()
                                                                        .getBucketName()),
                                                props.jobSettings()))
                                        .build()))
                                .build())
                        .flinkApplicationConfiguration(CfnApplication.FlinkApplicationConfigurationProperty.builder()
                                .checkpointConfiguration(CfnApplication.CheckpointConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .checkpointingEnabled(true)
                                        .checkpointInterval(60_000)
                                        .minPauseBetweenCheckpoints(5_000)
                                        .build())
                                .monitoringConfiguration(CfnApplication.MonitoringConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .logLevel("INFO")
                                        .metricsLevel("TASK")
                                        .build())
                                .parallelismConfiguration(CfnApplication.ParallelismConfigurationProperty.builder()
                                        .configurationType("CUSTOM")
                                        .parallelism(props.parallelism())
                                        .parallelismPerKpu(1)
                                        .autoScalingEnabled(true)
                                        .build())
                                .build())
                        .applicationSnapshotConfiguration(
                                CfnApplication.ApplicationSnapshotConfigurationProperty.builder()
                                        .snapshotsEnabled(true)
                                        .build())
                        .build())
                .build();
        application.getNode().addDependency(role);
        logging = CfnApplicationCloudWatchLoggingOption.Builder.create(this, "Logging")
                .applicationName(application.getRef())
                .cloudWatchLoggingOption(CfnApplicationCloudWatchLoggingOption.CloudWatchLoggingOptionProperty.builder()
                        .logStreamArn(Stack.of(this)
                                .formatArn(software.amazon.awscdk.ArnComponents.builder()
                                        .service("logs")
                                        .resource("log-group")
                                        .resourceName(
                                                logs.getLogGroupName() + ":log-stream:" + logStream.getLogStreamName())
                                        .arnFormat(software.amazon.awscdk.ArnFormat.COLON_RESOURCE_NAME)
                                        .build()))
                        .build())
                .build();
        start = startOnCreate();
    }

    /** Managed Flink creates applications stopped; this starts it once, when the stack creates it. */
    private AwsCustomResource startOnCreate() {
        String applicationArn = Stack.of(this)
                .formatArn(software.amazon.awscdk.ArnComponents.builder()
                        .service("kinesisanalytics")
                        .resource("application")
                        .resourceName(application.getRef())
                        .build());
        AwsCustomResource start = AwsCustomResource.Builder.create(this, "Start")
                .onCreate(AwsSdkCall.builder()
                        .service("KinesisAnalyticsV2")
                        .action("startApplication")
                        // In a fixed order, so the same stack synthesizes the same template.
                        .parameters(new TreeMap<>(Map.of(
                                "ApplicationName",
                                application.getRef(),
                                "RunConfiguration",
                                Map.of(
                                        "ApplicationRestoreConfiguration",
                                        Map.of("ApplicationRestoreType", "SKIP_RESTORE_FROM_SNAPSHOT")))))
                        .physicalResourceId(PhysicalResourceId.of(application.getRef()))
                        .build())
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("kinesisanalytics:StartApplication"))
                        .resources(List.of(applicationArn))
                        .build())))
                .installLatestAwsSdk(false)
                .logGroup(CustomResourceLogs.of(this))
                .build();
        start.getNode().addDependency(logging);
        return start;
    }

    public CfnApplication application() {
        return application;
    }

    /** Starts the application on create only once {@code dependency} exists (the reference files, say). */
    public void startAfter(IDependable dependency) {
        start.getNode().addDependency(dependency);
    }

    public LogGroup logs() {
        return logs;
    }

    /** The resources' names, then the job's settings; a setting may not rename a resource. */
    private static Map<String, String> withJobSettings(Map<String, String> wiring, Map<String, String> settings) {
        Map<String, String> properties = new TreeMap<>(settings);
        wiring.forEach((key, value) -> {
            if (properties.put(key, value) != null) {
                throw new IllegalArgumentException("job setting " + key + " is set by the stack's wiring");
            }
        });
        return properties;
    }
}
