package org.abctolls.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Matcher;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.sqs.Queue;

/** The synthesized template, resource by resource, for both warehouse modes. */
class TollsStackTest {

    private static final Template REDSHIFT = template(PipelineSettings.defaults());
    private static final Template S3_ONLY = template(new PipelineSettings(
            StreamMode.ON_DEMAND,
            1,
            software.amazon.awscdk.Duration.hours(48),
            PipelineSettings.Warehouse.S3,
            4,
            software.amazon.awscdk.Duration.minutes(30),
            software.amazon.awscdk.Duration.minutes(10)));

    private static Template template(PipelineSettings settings) {
        return Template.fromStack(
                new TollsStack(new App(), "AbcTolls", StackProps.builder().build(), settings));
    }

    /** The dimensions of a Kinesis metric of the stream whose logical id starts with the prefix. */
    private static List<Map<String, Object>> streamNamed(String logicalIdPrefix) {
        return List.of(Map.of(
                "Name", "StreamName", "Value", Map.of("Ref", Match.stringLikeRegexp("^" + logicalIdPrefix + ".*"))));
    }

    /** The dimensions of a Lambda metric of the function whose logical id starts with the prefix. */
    private static List<Map<String, Object>> functionNamed(String logicalIdPrefix) {
        return List.of(Map.of(
                "Name", "FunctionName", "Value", Map.of("Ref", Match.stringLikeRegexp("^" + logicalIdPrefix + ".*"))));
    }

    private static Map<String, Object> keyArn() {
        return Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^Key[0-9A-F]+$"), "Arn"));
    }

    /** The contract names the input and the customer totals stream; the other two are named alike. */
    @Test
    void theStreamsHaveTheContractsNames() {
        for (String name :
                List.of("toll-events", "customer-window-totals", "low-traffic-alerts", "analytics-dead-letters")) {
            REDSHIFT.resourcePropertiesCountIs("AWS::Kinesis::Stream", Map.of("Name", name), 1);
        }
        // A stream kept after a destroy would hold its name against the next deploy.
        REDSHIFT.allResources("AWS::Kinesis::Stream", Map.of("DeletionPolicy", "Delete"));
        assertThat(REDSHIFT.findResources("AWS::Kinesis::Stream", Map.of("Properties", Map.of("Name", "toll-events"))))
                .containsOnlyKeys(REDSHIFT.findResources("AWS::Kinesis::Stream").keySet().stream()
                        .filter(logicalId -> logicalId.startsWith("TollEvents"))
                        .toList());
        assertThat(REDSHIFT.findResources(
                        "AWS::Kinesis::Stream", Map.of("Properties", Map.of("Name", "customer-window-totals"))))
                .containsOnlyKeys(REDSHIFT.findResources("AWS::Kinesis::Stream").keySet().stream()
                        .filter(logicalId -> logicalId.startsWith("CustomerWindowTotals"))
                        .toList());
    }

    /**
     * {@code cdk destroy} deletes what can be made again (streams, functions, the job) and keeps
     * what holds data: the key, the buckets, the tables, the logs, and the warehouse as its final
     * snapshot, named after the stack's own id so that the next stack's snapshot is free.
     */
    @Test
    void theDataStoresOutliveTheStack() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            for (String type :
                    List.of("AWS::KMS::Key", "AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::Logs::LogGroup")) {
                assertThat(template.findResources(type)).as(type).isNotEmpty();
                template.allResources(type, Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
            }
        }
        REDSHIFT.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace",
                Map.of(
                        "FinalSnapshotName",
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "-",
                                        List.of(
                                                "abc-tolls-final",
                                                Map.of(
                                                        "Fn::Select",
                                                        List.of(
                                                                2,
                                                                Map.of(
                                                                        "Fn::Split",
                                                                        List.of(
                                                                                "/",
                                                                                Map.of("Ref", "AWS::StackId"))))))))));
    }

    /**
     * The access log bucket takes S3's server access logs through its policy, for this account's
     * buckets only, with ACLs off; no bucket of the stack has an ACL.
     */
    @Test
    void serverAccessLogsAreLetInByTheLogBucketsPolicyNotByAnAcl() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            assertThat(template.findResources(
                            "AWS::S3::Bucket", Map.of("Properties", Map.of("AccessControl", Match.anyValue()))))
                    .isEmpty();
            template.hasResourceProperties(
                    "AWS::S3::Bucket",
                    Match.objectLike(Map.of(
                            "OwnershipControls",
                            Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))),
                            "BucketEncryption",
                            Match.objectLike(Map.of(
                                    "ServerSideEncryptionConfiguration",
                                    List.of(Match.objectLike(Map.of(
                                            "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))))))));
            template.hasResourceProperties(
                    "AWS::S3::BucketPolicy",
                    Match.objectLike(Map.of(
                            "PolicyDocument",
                            Match.objectLike(Map.of(
                                    "Statement",
                                    Match.arrayWith(List.of(Match.objectLike(Map.of(
                                            "Effect",
                                            "Allow",
                                            "Principal",
                                            Map.of("Service", "logging.s3.amazonaws.com"),
                                            "Action",
                                            "s3:PutObject",
                                            "Condition",
                                            Match.objectLike(
                                                    Map.of(
                                                            "StringEquals",
                                                            Map.of(
                                                                    "aws:SourceAccount",
                                                                    Map.of("Ref", "AWS::AccountId")))))))))))));
        }
    }

    /** Redshift Serverless refuses a workgroup with subnets in fewer than three zones. */
    @SuppressWarnings("unchecked")
    @Test
    void theWarehouseWorkgroupHasSubnetsInThreeZones() {
        Map<String, Map<String, Object>> subnets = REDSHIFT.findResources("AWS::EC2::Subnet");
        assertThat(subnets.values())
                .extracting(subnet -> ((Map<String, Object>) subnet.get("Properties")).get("AvailabilityZone"))
                .containsExactlyInAnyOrder(
                        Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))),
                        Map.of("Fn::Select", List.of(1, Map.of("Fn::GetAZs", ""))),
                        Map.of("Fn::Select", List.of(2, Map.of("Fn::GetAZs", ""))));
        Map<String, Object> workgroup = REDSHIFT.findResources("AWS::RedshiftServerless::Workgroup").values().stream()
                .findFirst()
                .orElseThrow();
        assertThat((List<Map<String, String>>) ((Map<String, Object>) workgroup.get("Properties")).get("SubnetIds"))
                .extracting(subnet -> subnet.get("Ref"))
                .containsExactlyInAnyOrderElementsOf(subnets.keySet());
    }

    /** The logs name customers and stations: each log group under the stack's key, which CloudWatch Logs may use. */
    @Test
    void everyLogGroupIsEncryptedWithTheStacksKey() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            assertThat(template.findResources("AWS::Logs::LogGroup")).isNotEmpty();
            template.allResourcesProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("KmsKeyId", keyArn())));
        }
        REDSHIFT.resourceCountIs("AWS::Logs::LogGroup", 12);
        REDSHIFT.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "KeyPolicy",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Principal",
                                        Map.of("Service", Map.of("Fn::Sub", "logs.${AWS::Region}.amazonaws.com")),
                                        "Condition",
                                        Map.of(
                                                "ArnLike",
                                                Map.of(
                                                        "kms:EncryptionContext:aws:logs:arn",
                                                        Match.anyValue())))))))))));
    }

    @Test
    void fourStreamsEncryptedWithTheStacksKeyWithTheConfiguredCapacityAndRetention() {
        REDSHIFT.resourceCountIs("AWS::Kinesis::Stream", 4);
        REDSHIFT.allResourcesProperties(
                "AWS::Kinesis::Stream",
                Map.of(
                        "ShardCount", 2,
                        "RetentionPeriodHours", 24,
                        "StreamEncryption", Map.of("EncryptionType", "KMS", "KeyId", keyArn())));
        S3_ONLY.allResourcesProperties(
                "AWS::Kinesis::Stream",
                Map.of("StreamModeDetails", Map.of("StreamMode", "ON_DEMAND"), "RetentionPeriodHours", 48));
        REDSHIFT.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void bothFunctionsRunJava21OnArm64WithSnapStartFedByTheirStreamWithLambdasBatchSettings() {
        REDSHIFT.resourcePropertiesCountIs(
                "AWS::Lambda::Function",
                Map.of(
                        "Runtime", "java21",
                        "Architectures", List.of("arm64"),
                        "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                        "LoggingConfig", Map.of("LogFormat", "JSON")),
                2);
        REDSHIFT.hasResourceProperties(
                "AWS::Lambda::Function",
                Map.of("Handler", "org.abctolls.functions.BillingThresholdHandler::handleRequest"));
        REDSHIFT.hasResourceProperties(
                "AWS::Lambda::Function", Map.of("Handler", "org.abctolls.functions.LowTrafficHandler::handleRequest"));
        // Neither a billing record nor an operator alert is given up on: Lambda retries it for as
        // long as the stream keeps it (a record that breaks the contract is dead-lettered at once).
        for (String stream : List.of("^CustomerWindowTotals.*", "^LowTrafficAlerts.*")) {
            REDSHIFT.hasResourceProperties(
                    "AWS::Lambda::EventSourceMapping",
                    Map.of(
                            "EventSourceArn",
                            Match.objectLike(Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(stream), "Arn"))),
                            "MaximumRetryAttempts",
                            Match.absent(),
                            "MaximumRecordAgeInSeconds",
                            Match.absent()));
        }
        REDSHIFT.resourcePropertiesCountIs(
                "AWS::Lambda::EventSourceMapping",
                Map.of(
                        "BatchSize",
                        100,
                        "MaximumBatchingWindowInSeconds",
                        0,
                        "BisectBatchOnFunctionError",
                        true,
                        "FunctionResponseTypes",
                        List.of("ReportBatchItemFailures"),
                        "ParallelizationFactor",
                        1,
                        "StartingPosition",
                        "TRIM_HORIZON",
                        "DestinationConfig",
                        Map.of(
                                "OnFailure",
                                Map.of(
                                        "Destination",
                                        Match.objectLike(Map.of(
                                                "Fn::GetAtt",
                                                List.of(Match.stringLikeRegexp("^BatchesOnFailure.*"), "Arn")))))),
                2);
        REDSHIFT.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "LEDGER_TABLE", Match.anyValue(),
                                        "CUSTOMERS_TABLE", Match.anyValue(),
                                        "CUSTOMER_NOTIFICATIONS_TOPIC_ARN", Match.anyValue(),
                                        "DEAD_LETTER_QUEUE_URL", Match.anyValue()))))));
    }

    @Test
    void tablesAreOnDemandWithPointInTimeRecoveryAndTheStacksKey() {
        REDSHIFT.resourceCountIs("AWS::DynamoDB::Table", 2);
        REDSHIFT.allResourcesProperties(
                "AWS::DynamoDB::Table",
                Map.of(
                        "BillingMode", "PAY_PER_REQUEST",
                        "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                        "SSESpecification", Match.objectLike(Map.of("SSEEnabled", true, "SSEType", "KMS"))));
        REDSHIFT.hasResourceProperties(
                "AWS::DynamoDB::Table",
                Map.of("TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true)));
    }

    @Test
    void topicsAndQueuesAreEncryptedAndRefusePlainHttp() {
        REDSHIFT.allResourcesProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Match.anyValue()));
        REDSHIFT.hasResourceProperties(
                "AWS::SNS::Topic", Map.of("FifoTopic", true, "TopicName", "abc-tolls-customer-notifications.fifo"));
        REDSHIFT.resourceCountIs("AWS::SQS::Queue", 2);
        REDSHIFT.allResourcesProperties(
                "AWS::SQS::Queue", Map.of("KmsMasterKeyId", keyArn(), "MessageRetentionPeriod", 1_209_600));
        REDSHIFT.resourceCountIs("AWS::SNS::TopicPolicy", 2);
        REDSHIFT.resourceCountIs("AWS::SQS::QueuePolicy", 2);
    }

    @Test
    void everyBucketBlocksPublicAccessIsEncryptedVersionedAndRefusesPlainHttp() {
        REDSHIFT.resourceCountIs("AWS::S3::Bucket", 3);
        REDSHIFT.allResourcesProperties(
                "AWS::S3::Bucket",
                Map.of(
                        "PublicAccessBlockConfiguration",
                                Map.of(
                                        "BlockPublicAcls", true,
                                        "BlockPublicPolicy", true,
                                        "IgnorePublicAcls", true,
                                        "RestrictPublicBuckets", true),
                        "VersioningConfiguration", Map.of("Status", "Enabled"),
                        "BucketEncryption", Match.anyValue()));
        REDSHIFT.resourcePropertiesCountIs(
                "AWS::S3::BucketPolicy",
                Map.of(
                        "PolicyDocument",
                        Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Deny",
                                        "Condition",
                                        Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))),
                        "Bucket",
                        Match.anyValue()),
                3);
        REDSHIFT.hasResourceProperties("Custom::CDKBucketDeployment", Match.objectLike(Map.of("Prune", false)));
    }

    @Test
    void firehoseLoadsTheWarehouseWithinThirtyMinutesAndKeepsEveryRecordInS3() {
        REDSHIFT.hasResourceProperties(
                "AWS::KinesisFirehose::DeliveryStream",
                Map.of(
                        "DeliveryStreamType",
                        "KinesisStreamAsSource",
                        "RedshiftDestinationConfiguration",
                        Match.objectLike(Map.of(
                                "CopyCommand",
                                        Map.of(
                                                "DataTableName",
                                                "toll_events",
                                                "DataTableColumns",
                                                "eventid,stationid,laneid,transceiverid,customerid,vehicleclass,"
                                                        + "amountcents,eventtime",
                                                "CopyOptions",
                                                StreamToWarehouse.COPY_OPTIONS),
                                "S3BackupMode", "Enabled",
                                "ProcessingConfiguration",
                                        Map.of(
                                                "Enabled",
                                                true,
                                                "Processors",
                                                List.of(Map.of(
                                                        "Type",
                                                        "Lambda",
                                                        "Parameters",
                                                        Match.arrayWith(
                                                                List.of(
                                                                        Match.objectLike(
                                                                                Map.of("ParameterName", "LambdaArn")),
                                                                        Map.of(
                                                                                "ParameterName",
                                                                                "BufferIntervalInSeconds",
                                                                                "ParameterValue",
                                                                                "60")))))),
                                "RetryOptions", Map.of("DurationInSeconds", 7_200),
                                "SecretsManagerConfiguration", Match.objectLike(Map.of("Enabled", true)),
                                "S3Configuration",
                                        Match.objectLike(Map.of(
                                                "BufferingHints", Map.of("IntervalInSeconds", 300, "SizeInMBs", 64),
                                                "CompressionFormat", "GZIP",
                                                "ErrorOutputPrefix", Match.stringLikeRegexp("^errors/.*"))),
                                "S3BackupConfiguration",
                                        Match.objectLike(Map.of("Prefix", Match.stringLikeRegexp("^raw/.*")))))));
        REDSHIFT.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace", Match.objectLike(Map.of("DbName", "tolls")));
        REDSHIFT.hasResourceProperties(
                "AWS::RedshiftServerless::Workgroup",
                Match.objectLike(Map.of(
                        "BaseCapacity",
                        8,
                        "ConfigParameters",
                        List.of(Map.of("ParameterKey", "require_ssl", "ParameterValue", "true")))));
        REDSHIFT.hasParameter("FirehoseCidr", Match.objectLike(Map.of("Type", "String")));
        REDSHIFT.hasResourceProperties(
                "AWS::EC2::SecurityGroup",
                Match.objectLike(Map.of(
                        "SecurityGroupIngress",
                        List.of(Match.objectLike(
                                Map.of("CidrIp", Map.of("Ref", "FirehoseCidr"), "FromPort", 5439, "ToPort", 5439))))));
        assertThat(StreamToWarehouse.COPY_OPTIONS).doesNotContain("ACCEPTINVCHARS");
        // The transformation runs the contract's parser, and Firehose may invoke it.
        REDSHIFT.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Handler", "org.abctolls.functions.WarehouseRecordsHandler::handleRequest")));
        S3_ONLY.resourcePropertiesCountIs(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of("Handler", "org.abctolls.functions.WarehouseRecordsHandler::handleRequest")),
                0);
        assertThat(REDSHIFT.findResources("AWS::IAM::Policy").toString())
                .contains("lambda:InvokeFunction", "WarehouseTransform");
        // The delivery stream is made once the schema has finished, so a COPY finds its table and user.
        assertThat(REDSHIFT.findResources("AWS::KinesisFirehose::DeliveryStream").values().stream()
                        .filter(resource -> resource.toString().contains("RedshiftDestinationConfiguration"))
                        .map(resource -> String.valueOf(resource.get("DependsOn")))
                        .toList())
                .singleElement()
                .asString()
                .contains(schemaLogicalId());
    }

    /** The logical id of the warehouse schema's custom resource (others' ids start alike). */
    private static String schemaLogicalId() {
        return REDSHIFT.findResources("Custom::WarehouseSchema")
                .keySet()
                .iterator()
                .next();
    }

    @Test
    void firehoseLoadsAsAnInsertOnlyUserWhosePasswordRotatesAndRedshiftKeepsTheAdminPassword() {
        // The admin's password is Redshift's own, in Secrets Manager under the stack's key; the
        // template holds no password and no admin secret of its own.
        REDSHIFT.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace",
                Match.objectLike(Map.of(
                        "AdminUsername",
                        "tolls_admin",
                        "ManageAdminPassword",
                        true,
                        "AdminPasswordSecretKmsKeyId",
                        keyArn())));
        assertThat(REDSHIFT.findResources("AWS::RedshiftServerless::Namespace").toString())
                .doesNotContain("AdminUserPassword");
        // The loader's rotation sets passwords in their MD5 form, which the user activity log
        // (each statement's text) would keep: the namespace does not export it.
        REDSHIFT.hasResourceProperties(
                "AWS::RedshiftServerless::Namespace",
                Match.objectLike(Map.of("LogExports", List.of("userlog", "connectionlog"))));
        REDSHIFT.resourceCountIs("AWS::SecretsManager::Secret", 1);
        REDSHIFT.hasResourceProperties(
                "AWS::SecretsManager::Secret",
                Match.objectLike(Map.of(
                        "KmsKeyId",
                        keyArn(),
                        "GenerateSecretString",
                        Match.objectLike(Map.of(
                                "SecretStringTemplate", "{\"username\":\"tolls_loader\"}",
                                "GenerateStringKey", "password",
                                "PasswordLength", 32,
                                // As WarehouseLoaderRotationHandler asks for each rotated password.
                                "ExcludeCharacters", "\"'\\/@ ",
                                "RequireEachIncludedType", true)))));
        REDSHIFT.hasResourceProperties(
                "AWS::KinesisFirehose::DeliveryStream",
                Match.objectLike(Map.of(
                        "RedshiftDestinationConfiguration",
                        Match.objectLike(Map.of(
                                "SecretsManagerConfiguration",
                                Match.objectLike(Map.of(
                                        "Enabled",
                                        true,
                                        "SecretARN",
                                        Map.of("Ref", Match.stringLikeRegexp("^WarehouseLoaderCredentials.*")))))))));

        // The loader's password rotates monthly, alternating between two INSERT-only users; the
        // first rotation starts once the schema has made them.
        REDSHIFT.hasResourceProperties(
                "AWS::SecretsManager::RotationSchedule",
                Match.objectLike(Map.of(
                        "RotationLambdaARN",
                        Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^WarehouseLoaderRotation.*"), "Arn")),
                        "RotationRules",
                        Map.of("ScheduleExpression", "rate(30 days)"))));
        assertThat(REDSHIFT.findResources("AWS::SecretsManager::RotationSchedule").values().stream()
                        .map(resource -> String.valueOf(resource.get("DependsOn")))
                        .toList())
                .singleElement()
                .asString()
                .contains(schemaLogicalId());
        Map<String, Object> adminSecretArn = Map.of(
                "Fn::GetAtt",
                List.of(Match.stringLikeRegexp("^WarehouseAdminSecret.*"), "namespace.adminPasswordSecretArn"));
        REDSHIFT.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        RedshiftWarehouse.ROTATION_HANDLER,
                        "Environment",
                        Map.of(
                                "Variables",
                                Map.of(
                                        "WAREHOUSE_WORKGROUP", "abc-tolls",
                                        "WAREHOUSE_DATABASE", "tolls",
                                        "WAREHOUSE_ADMIN_SECRET_ARN", adminSecretArn,
                                        "WAREHOUSE_SCHEMA", "public",
                                        "WAREHOUSE_TABLE", "toll_events")))));

        // The schema: the versioned SQL files, run as the admin, and waited for.
        REDSHIFT.hasResourceProperties(
                "Custom::WarehouseSchema",
                Match.objectLike(Map.of(
                        "WorkgroupName",
                        "abc-tolls",
                        "Database",
                        "tolls",
                        "Table",
                        "toll_events",
                        "AdminSecretArn",
                        adminSecretArn,
                        "LoaderSecretArn",
                        Map.of("Ref", Match.stringLikeRegexp("^WarehouseLoaderCredentials.*")),
                        "Sqls",
                        List.of(
                                Match.stringLikeRegexp("CREATE TABLE IF NOT EXISTS toll_events"),
                                Match.stringLikeRegexp("CREATE OR REPLACE VIEW toll_passages")))));
        for (String method : List.of("onEvent", "isComplete")) {
            REDSHIFT.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "Handler",
                            WarehouseSchema.HANDLER + "::" + method,
                            "Role",
                            Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^WarehouseSchemaRole.*"), "Arn")))));
        }
        // A failed rotation is an alarm at once: it runs once a month, and Firehose keeps loading
        // with the old password meanwhile, so nothing else would show it.
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Dimensions",
                        functionNamed("WarehouseLoaderRotation"),
                        "MetricName",
                        "Errors",
                        "EvaluationPeriods",
                        1,
                        "Threshold",
                        0,
                        "AlarmActions",
                        Match.anyValue())));
        S3_ONLY.resourceCountIs("AWS::SecretsManager::Secret", 0);
        assertThat(S3_ONLY.findParameters("FirehoseCidr", Match.anyValue()))
                .as("the Redshift endpoint's parameter, without Redshift")
                .isEmpty();
        assertThat(REDSHIFT.findResources("AWS::StepFunctions::StateMachine").toString())
                .contains("LoggingConfiguration", "Level=ALL");

        // Who may do what: the admin's secret only for the schema and the rotation, each Data API
        // call on this workgroup only, and Firehose only the loader's secret.
        // The schema's handlers ask which users exist (ExecuteStatement, GetStatementResult),
        // then submit and follow the batch.
        assertThat(policiesOfRole(REDSHIFT, "WarehouseSchemaRole"))
                .contains(
                        "redshift-data:ExecuteStatement",
                        "redshift-data:BatchExecuteStatement",
                        "Workgroup.WorkgroupArn",
                        "redshift-data:DescribeStatement",
                        "redshift-data:GetStatementResult",
                        "namespace.adminPasswordSecretArn",
                        "WarehouseLoaderCredentials")
                .doesNotContain("secretsmanager:PutSecretValue");
        assertThat(policiesOfRole(REDSHIFT, "WarehouseLoaderRotation"))
                .contains(
                        "redshift-data:ExecuteStatement",
                        "redshift-data:GetStatementResult",
                        "namespace.adminPasswordSecretArn",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:UpdateSecretVersionStage")
                .doesNotContain("redshift-data:BatchExecuteStatement");
        assertThat(policiesOfRole(REDSHIFT, "WarehouseRole"))
                .contains("WarehouseLoaderCredentials")
                .doesNotContain("adminPasswordSecretArn", "redshift-data");
        assertThat(REDSHIFT.findResources("AWS::IAM::Policy").toString())
                .doesNotContain("redshift-data:*", "secretsmanager:*");
        // The admin secret is decrypted only through Secrets Manager, and its lookup reads only
        // this namespace.
        for (String role : List.of("WarehouseSchemaRole", "WarehouseLoaderRotation")) {
            REDSHIFT.hasResourceProperties(
                    "AWS::IAM::Policy",
                    Match.objectLike(Map.of(
                            "Roles",
                            List.of(Map.of("Ref", Match.stringLikeRegexp("^" + role + ".*"))),
                            "PolicyDocument",
                            Match.objectLike(Map.of(
                                    "Statement",
                                    Match.arrayWith(List.of(Match.objectLike(Map.of(
                                            "Action",
                                            "kms:Decrypt",
                                            "Resource",
                                            keyArn(),
                                            "Condition",
                                            Map.of(
                                                    "StringEquals",
                                                    Map.of(
                                                            "kms:ViaService",
                                                            Map.of(
                                                                    "Fn::Join",
                                                                    List.of(
                                                                            "",
                                                                            List.of(
                                                                                    "secretsmanager.",
                                                                                    Map.of("Ref", "AWS::Region"),
                                                                                    ".amazonaws.com"))))))))))))));
        }
        REDSHIFT.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                List.of(Match.objectLike(Map.of(
                                        "Action",
                                        "redshift-serverless:GetNamespace",
                                        "Resource",
                                        Map.of(
                                                "Fn::GetAtt",
                                                List.of(
                                                        Match.stringLikeRegexp("^WarehouseNamespace.*"),
                                                        "Namespace.NamespaceArn"))))))))));
    }

    /**
     * A resource whose logical id changes is replaced by the next deploy: for the namespace, the
     * warehouse's data. These are the ids the stack had before the warehouse and its schema were
     * constructs of their own.
     */
    @Test
    void theWarehouseKeepsTheLogicalIdsOfStacksDeployedBefore() {
        Map<String, String> deployed = Map.of(
                "AWS::RedshiftServerless::Namespace", "WarehouseNamespace78ED5B58",
                "AWS::RedshiftServerless::Workgroup", "WarehouseWorkgroup507BB996",
                "Custom::WarehouseSchema", "WarehouseSchema12BC2600",
                "AWS::SecretsManager::Secret", "WarehouseLoaderCredentials1F9F8CF7",
                "AWS::EC2::VPC", "WarehouseVpcFB5FA611");
        deployed.forEach((type, logicalId) ->
                assertThat(REDSHIFT.findResources(type)).as(type).containsOnlyKeys(logicalId));
    }

    /** As Solutions Constructs take props overrides: the caller may change any setting of the function or mapping. */
    @Test
    void aStreamToFunctionTakesOverridesOfItsFunctionAndItsEventSource() {
        Stack stack = new Stack(new App(), "Overrides");
        new KinesisStreamToFunction(
                stack,
                "Handler",
                KinesisStreamToFunctionProps.builder().stream(
                                Stream.Builder.create(stack, "Input").build())
                        .code(Code.fromAsset(RepositoryPaths.resolve(PipelineSettings.FUNCTIONS_JAR)))
                        .handler("org.abctolls.functions.LowTrafficHandler::handleRequest")
                        .onFailure(Queue.Builder.create(stack, "OnFailure").build())
                        .function(function -> function.memorySize(2048))
                        .eventSource(source -> source.batchSize(500).retryAttempts(3))
                        .build());
        Template template = Template.fromStack(stack);

        template.hasResourceProperties(
                "AWS::Lambda::Function", Map.of("MemorySize", 2048, "SnapStart", Match.anyValue()));
        template.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Map.of(
                        "BatchSize", 500,
                        "MaximumRetryAttempts", 3,
                        "MaximumRecordAgeInSeconds", 86_400,
                        "BisectBatchOnFunctionError", true,
                        "StartingPosition", "TRIM_HORIZON"));
    }

    @Test
    void theS3OnlyModeArchivesWithoutAWarehouse() {
        S3_ONLY.hasResourceProperties(
                "AWS::KinesisFirehose::DeliveryStream",
                Map.of(
                        "DeliveryStreamType",
                        "KinesisStreamAsSource",
                        "S3DestinationConfiguration",
                        Match.objectLike(
                                Map.of("Prefix", Match.stringLikeRegexp("^raw/.*"), "CompressionFormat", "GZIP"))));
        S3_ONLY.resourceCountIs("AWS::RedshiftServerless::Workgroup", 0);
        S3_ONLY.resourceCountIs("AWS::EC2::VPC", 0);
    }

    @Test
    void theAnalyticsJarRunsOnManagedFlinkWithEveryJobSettingCheckpointsAndAutoscaling() {
        S3_ONLY.hasResourceProperties(
                "AWS::KinesisAnalyticsV2::Application",
                Map.of(
                        "RuntimeEnvironment",
                        "FLINK-1_19",
                        "ApplicationConfiguration",
                        Match.objectLike(Map.of(
                                "EnvironmentProperties",
                                        Map.of(
                                                "PropertyGroups",
                                                List.of(Map.of(
                                                        "PropertyGroupId",
                                                        "AnalyticsJob",
                                                        "PropertyMap",
                                                        Match.objectLike(
                                                                Map.of(
                                                                        "aws.region", Match.anyValue(),
                                                                        "input.stream", Match.anyValue(),
                                                                        "output.customer-window-totals.stream-arn",
                                                                                Match.anyValue(),
                                                                        "output.low-traffic-alerts.stream-arn",
                                                                                Match.anyValue(),
                                                                        "output.dead-letters.stream-arn",
                                                                                Match.anyValue(),
                                                                        "reference.bucket", Match.anyValue()))))),
                                "FlinkApplicationConfiguration",
                                        Map.of(
                                                "CheckpointConfiguration",
                                                        Match.objectLike(Map.of(
                                                                "CheckpointingEnabled",
                                                                true,
                                                                "CheckpointInterval",
                                                                60_000)),
                                                "MonitoringConfiguration", Match.anyValue(),
                                                "ParallelismConfiguration",
                                                        Match.objectLike(Map.of(
                                                                "Parallelism", 4, "AutoScalingEnabled", true)))))));
        S3_ONLY.resourceCountIs("AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption", 1);
        assertThat(S3_ONLY.findResources("Custom::AWS").toString()).contains("startApplication");
    }

    /** Its first poll finds the reference files: a start without them has no station windows to judge by. */
    @Test
    void theJobStartsOnlyOnceTheReferenceFilesAreInTheirBucket() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            List<Map<String, Object>> starts = template.findResources("Custom::AWS").values().stream()
                    .filter(resource -> resource.toString().contains("startApplication"))
                    .toList();
            assertThat(starts).hasSize(1);
            assertThat(starts.get(0).get("DependsOn").toString())
                    .contains(template.findResources("Custom::CDKBucketDeployment")
                            .keySet());
        }
    }

    /** The analytics job's runtime property as the stack sets it. */
    private static void hasJobProperty(Template template, String property, String value) {
        template.hasResourceProperties(
                "AWS::KinesisAnalyticsV2::Application",
                Match.objectLike(Map.of(
                        "ApplicationConfiguration",
                        Match.objectLike(Map.of(
                                "EnvironmentProperties",
                                Map.of(
                                        "PropertyGroups",
                                        List.of(Match.objectLike(
                                                Map.of(
                                                        "PropertyMap",
                                                        Match.objectLike(Map.of(property, value)))))))))));
    }

    /** A re-send comes within a day of its first sighting and is read within a retention after that. */
    @Test
    void theJobRemembersEventIdsForTheResendWindowPlusTheStreamsRetention() {
        hasJobProperty(REDSHIFT, "deduplication.ttl", "PT48H");
        hasJobProperty(S3_ONLY, "deduplication.ttl", "PT72H");
    }

    /** One tolerance for a toll event stamped ahead of its arrival: the job's and the warehouse transformation's. */
    @Test
    void theJobAndTheWarehousesTransformationJudgeEventTimesByTheSameTolerance() {
        hasJobProperty(REDSHIFT, "validation.future-tolerance", "PT5M");
        hasJobProperty(S3_ONLY, "validation.future-tolerance", "PT10M");
        Template sevenMinutes = template(new PipelineSettings(
                StreamMode.PROVISIONED,
                1,
                software.amazon.awscdk.Duration.hours(24),
                PipelineSettings.Warehouse.REDSHIFT,
                1,
                software.amazon.awscdk.Duration.minutes(15),
                software.amazon.awscdk.Duration.minutes(7)));
        hasJobProperty(sevenMinutes, "validation.future-tolerance", "PT7M");
        for (Map.Entry<Template, String> stack :
                Map.of(REDSHIFT, "PT5M", sevenMinutes, "PT7M").entrySet()) {
            stack.getKey()
                    .hasResourceProperties(
                            "AWS::Lambda::Function",
                            Match.objectLike(Map.of(
                                    "Handler",
                                    StreamToWarehouse.TRANSFORM_HANDLER,
                                    "Environment",
                                    Map.of("Variables", Map.of("FUTURE_TOLERANCE", stack.getValue())))));
        }
    }

    /**
     * A window's total can come again while the job can read its passages again and the total
     * can wait on its stream: both functions keep a window's entry for twice the retention and 35
     * days more.
     */
    @Test
    void bothFunctionsKeepAWindowsLedgerEntryForTwiceTheStreamsRetentionAndThirtyFiveDays() {
        for (Map.Entry<Template, String> stack :
                Map.of(REDSHIFT, "PT888H", S3_ONLY, "PT936H").entrySet()) {
            stack.getKey()
                    .resourcePropertiesCountIs(
                            "AWS::Lambda::Function",
                            Match.objectLike(Map.of(
                                    "Environment",
                                    Map.of(
                                            "Variables",
                                            Match.objectLike(Map.of(
                                                    "LEDGER_TABLE",
                                                    Match.anyValue(),
                                                    "LEDGER_ENTRIES_KEPT",
                                                    stack.getValue()))))),
                            2);
        }
    }

    /**
     * Without a log group of its own, a function writes to one Lambda makes on first use, which
     * never expires and is not under the stack's key: also the handlers the CDK brings along.
     */
    @Test
    void everyFunctionTheCdkHandlersIncludedLogsToALogGroupOfTheStack() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");
            assertThat(functions).isNotEmpty();
            functions.forEach((logicalId, function) -> assertThat(function.toString())
                    .as(logicalId)
                    .containsPattern("LoggingConfig=\\{[^}]*LogGroup=\\{Ref="));
        }
        REDSHIFT.hasResourceProperties(
                "AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30, "KmsKeyId", keyArn())));
    }

    @Test
    void theAnalyticsRoleMayReadTheInputAndWriteTheOutputsButNotWriteTheInput() {
        Map<String, Map<String, Object>> policies = REDSHIFT.findResources(
                "AWS::IAM::Policy",
                Map.of(
                        "Properties",
                        Map.of("Roles", List.of(Map.of("Ref", Match.stringLikeRegexp("^AnalyticsRole.*"))))));
        assertThat(policies).hasSize(1);
        String policy = policies.values().iterator().next().toString();
        assertThat(policy).contains("kinesis:GetRecords", "kinesis:PutRecords", "s3:GetObject*");
        assertThat(policy).doesNotContain("kinesis:*", "s3:PutObject", "dynamodb:");
    }

    @Test
    void operatorsGetADashboardAndAlarmsOnEverySignOfFallingBehind() {
        REDSHIFT.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        for (String metric : List.of(
                "GetRecords.IteratorAgeMilliseconds",
                "PutRecords.ThrottledRecords",
                "DeliveryToS3.DataFreshness",
                "downtime",
                "IteratorAge",
                "Errors",
                "Throttles",
                "ApproximateNumberOfMessagesVisible")) {
            REDSHIFT.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of("MetricName", metric, "AlarmActions", Match.anyValue())));
        }
        // A job that is not running publishes nothing: each silent minute counts as zero.
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Metrics",
                        Match.arrayWith(List.of(Match.objectLike(Map.of("Expression", "FILL(uptime, 0)")))),
                        "ComparisonOperator",
                        "LessThanThreshold",
                        "TreatMissingData",
                        "breaching",
                        "EvaluationPeriods",
                        10,
                        "AlarmActions",
                        Match.anyValue())));
        // Failed checkpoints are a running count: the alarm watches its increase, so it clears again.
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Metrics",
                        Match.arrayWith(List.of(
                                Match.objectLike(Map.of("Expression", "IF(DIFF(failed) < 0, failed, DIFF(failed))")))),
                        "AlarmActions",
                        Match.anyValue())));
        // A billing alert cleared unconfirmed may never have reached its customer (FunctionMetrics' count).
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace",
                        "ABCTolls",
                        "MetricName",
                        "AlertsUnconfirmed",
                        "Dimensions",
                        List.of(Map.of("Name", "Function", "Value", "billing-threshold")),
                        "Statistic",
                        "Sum",
                        "Threshold",
                        0,
                        "ComparisonOperator",
                        "GreaterThanThreshold",
                        "AlarmActions",
                        Match.anyValue())));
        // A failing batch is retried, not an invocation error: the age of the records each
        // function is given shows it.
        for (String function : List.of("BillingThreshold", "LowTraffic")) {
            REDSHIFT.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "MetricName",
                            "IteratorAge",
                            "Namespace",
                            "AWS/Lambda",
                            "Dimensions",
                            functionNamed(function),
                            "Statistic",
                            "Maximum",
                            "AlarmActions",
                            Match.anyValue())));
        }
        // The job's lag comes with the stream's dimensions: queried by the application alone.
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Metrics", flinkMetricsInsights("millisBehindLatest"), "AlarmActions", Match.anyValue())));
        // Late passages for station windows: the job's own rate, above 1 per second for 5 minutes.
        assertJobMetricAlarm("latePassagesForStationsPerSecond", PipelineMonitoring.MAX_LATE_PASSAGES_PER_SECOND, 5);
        // Reference files the job refused: its own gauge, 1 while the newest version is unusable.
        assertJobMetricAlarm("referenceDataUnusable", 0, PipelineMonitoring.REFERENCE_DATA_UNUSABLE_MINUTES);
    }

    /** An alarm on a metric of the job's own, above {@code threshold} for {@code periods} minutes. */
    private static void assertJobMetricAlarm(String metric, Number threshold, int periods) {
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Metrics",
                        flinkMetricsInsights(metric),
                        "Threshold",
                        threshold,
                        "ComparisonOperator",
                        "GreaterThanThreshold",
                        "EvaluationPeriods",
                        periods,
                        "AlarmActions",
                        Match.anyValue())));
    }

    /** An alarm's metrics: a Metrics Insights query of the job's metric, the highest of its series. */
    private static Matcher flinkMetricsInsights(String metric) {
        return Match.arrayWith(List.of(Match.objectLike(Map.of(
                "Expression",
                Map.of(
                        "Fn::Join",
                        List.of(
                                "",
                                List.of(
                                        "SELECT MAX(" + metric
                                                + ") FROM \"AWS/KinesisAnalytics\" WHERE Application = '",
                                        Map.of("Ref", Match.stringLikeRegexp("^AnalyticsApplication")),
                                        "'")))))));
    }

    /**
     * While COPY fails the objects still land in S3, so S3 freshness stays low: COPY's own
     * success is watched, and so are errors of the transformation, which would send whole
     * batches of valid records to the error prefix.
     */
    @Test
    void copiesIntoRedshiftThatKeepFailingAndErrorsOfTheWarehouseTransformationAreAlarms() {
        assertFailedShareAlarm("DeliveryToRedshift.Success", 2);
        // A batch that fails every retry goes to the error prefix whole: one failed invocation alarms.
        assertFailedShareAlarm("ExecuteProcessing.Success", 1);
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Dimensions",
                        functionNamed("WarehouseTransform"),
                        "MetricName",
                        "Errors",
                        "AlarmActions",
                        Match.anyValue())));
        assertThat(S3_ONLY.toJSON().toString()).doesNotContain("DeliveryToRedshift");
    }

    /** An alarm on one minus a delivery stream's success share, per five minutes, above zero for {@code periods}. */
    private static void assertFailedShareAlarm(String successMetric, int periods) {
        REDSHIFT.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Metrics",
                        Match.arrayWith(List.of(
                                Match.objectLike(Map.of("Expression", "1 - success")),
                                Match.objectLike(Map.of(
                                        "Id",
                                        "success",
                                        "MetricStat",
                                        Match.objectLike(
                                                Map.of(
                                                        "Metric",
                                                        Match.objectLike(Map.of("MetricName", successMetric)),
                                                        "Period",
                                                        300,
                                                        "Stat",
                                                        "Average")))))),
                        "EvaluationPeriods",
                        periods,
                        "Threshold",
                        0,
                        "AlarmActions",
                        Match.anyValue())));
    }

    @Test
    void silenceOnTheTollStreamForTheConfiguredTimeIsAnAlarm() {
        for (Map.Entry<Template, Integer> settings :
                Map.of(REDSHIFT, 15, S3_ONLY, 30).entrySet()) {
            // Every minute without a record counts as zero, for as many minutes as configured.
            settings.getKey()
                    .hasResourceProperties(
                            "AWS::CloudWatch::Alarm",
                            Match.objectLike(Map.of(
                                    "Metrics",
                                    Match.arrayWith(List.of(
                                            Match.objectLike(Map.of("Expression", "FILL(received, 0)")),
                                            Match.objectLike(Map.of(
                                                    "Id",
                                                    "received",
                                                    "MetricStat",
                                                    Match.objectLike(
                                                            Map.of(
                                                                    "Metric",
                                                                    Match.objectLike(
                                                                            Map.of(
                                                                                    "MetricName",
                                                                                    "IncomingRecords",
                                                                                    "Dimensions",
                                                                                    streamNamed("TollEvents"))),
                                                                    "Period",
                                                                    60,
                                                                    "Stat",
                                                                    "Sum")))))),
                                    "EvaluationPeriods",
                                    settings.getValue(),
                                    "DatapointsToAlarm",
                                    settings.getValue(),
                                    "ComparisonOperator",
                                    "LessThanThreshold",
                                    "Threshold",
                                    1,
                                    "AlarmActions",
                                    Match.anyValue())));
        }
        assertThatThrownBy(() -> new PipelineSettings(
                        StreamMode.PROVISIONED,
                        1,
                        software.amazon.awscdk.Duration.hours(24),
                        PipelineSettings.Warehouse.S3,
                        1,
                        software.amazon.awscdk.Duration.minutes(0),
                        software.amazon.awscdk.Duration.minutes(5)))
                .hasMessageContaining("silenceMinutes");
    }

    /**
     * Without an environment, as the tests and the kit synthesize it, and with the account and
     * region that {@code cdk deploy} gives {@code TollsApp} in a real account: there, ARNs hold
     * the account and region themselves instead of their tokens.
     */
    @ParameterizedTest(name = "account {0}, region {1}")
    @CsvSource(
            value = {"null, null", "123456789012, eu-west-1"},
            nullValues = "null")
    // Annotations' findings come as the deprecated cxapi.SynthesisMessage, whose entry is the
    // only readable form of a finding a failure should show.
    @SuppressWarnings("deprecation")
    void cdkNagsAwsSolutionsChecksFindNothingUnaccepted(String account, String region) {
        // As TollsApp, the app cdk runs, defines it: its findings are errors there, which stop
        // cdk synth and cdk deploy though the app does not throw.
        TollsStack stack = TollsApp.define(new App(), account, region);

        assertThat(Annotations.fromStack(stack).findError("*", Match.stringLikeRegexp(".*")))
                .extracting(
                        message -> message.getId() + ": " + message.getEntry().getData())
                .isEmpty();
        assertThat(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp(".*")))
                .extracting(
                        message -> message.getId() + ": " + message.getEntry().getData())
                .isEmpty();
    }

    /** The jar's object only (not every stack's assets), and the log lookups Managed Flink's logging makes. */
    @Test
    void theFlinkApplicationReadsItsJarAloneAndMayLookUpItsLogs() {
        String policies = policiesOfRole(REDSHIFT, "AnalyticsRole");
        assertThat(policies)
                .contains("[s3:GetObject, s3:GetObjectVersion]", "logs:DescribeLogStreams", "logs:DescribeLogGroups")
                .containsPattern("-assets-\\$\\{AWS::AccountId}-\\$\\{AWS::Region}}, /[0-9a-f]{64}\\.jar")
                .doesNotContainPattern("-assets-\\$\\{AWS::AccountId}-\\$\\{AWS::Region}}(, /\\*)?]");
    }

    private static String policiesOfRole(Template template, String roleLogicalIdPrefix) {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Map.of(
                        "Properties",
                        Map.of(
                                "Roles",
                                List.of(Map.of("Ref", Match.stringLikeRegexp("^" + roleLogicalIdPrefix + ".*"))))));
        assertThat(policies).as("policies of " + roleLogicalIdPrefix).isNotEmpty();
        return policies.toString();
    }

    @Test
    void alarmsCanPublishToTheEncryptedOperatorTopicOnlyFromThisAccount() {
        Map<String, Object> cloudWatch = Map.of(
                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                "Action", List.of("kms:Decrypt", "kms:GenerateDataKey*"),
                "Condition",
                        Match.objectLike(Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                                "ArnLike", Map.of("aws:SourceArn", Match.anyValue()))));
        REDSHIFT.hasResourceProperties(
                "AWS::KMS::Key",
                Match.objectLike(Map.of(
                        "KeyPolicy",
                        Match.objectLike(
                                Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(cloudWatch))))))));
        // enforceSsl writes a topic policy, which replaces the default one that let alarms publish.
        Map<String, Object> cloudWatchPublishes = Map.of(
                "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                "Action", "sns:Publish",
                "Condition", Match.objectLike(Map.of("StringEquals", Match.anyValue(), "ArnLike", Match.anyValue())));
        REDSHIFT.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(
                                Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(cloudWatchPublishes))))),
                        "Topics",
                        List.of(Map.of("Ref", Match.stringLikeRegexp("^OperatorAlerts.*"))))));
    }

    @Test
    void theLowTrafficFunctionReadsAndWritesOnlyItemsUnderStationIds() {
        String policy = policiesOfRole(REDSHIFT, "LowTrafficFunctionServiceRole");
        assertThat(policy)
                .contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
                .contains("ForAllValues:StringLike", "dynamodb:LeadingKeys", "S*", "Null");
        assertThat(policy).doesNotContain("dynamodb:Query", "dynamodb:Scan", "dynamodb:DeleteItem", "BatchWrite");
    }

    @Test
    void theBillingFunctionReadsAndWritesOnlyItemsUnderCustomerIds() {
        String policy = policiesOfRole(REDSHIFT, "BillingThresholdFunctionServiceRole");
        assertThat(policy)
                .contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")
                .contains("ForAllValues:StringLike", "dynamodb:LeadingKeys", "C*", "Null");
        // A customer's threshold is read by key too.
        assertThat(policy)
                .doesNotContain("dynamodb:Query", "dynamodb:Scan", "dynamodb:DeleteItem", "BatchWrite", "dynamodb:*");
    }

    @Test
    void firehoseMayWriteTheArchiveButNeverDeleteFromIt() {
        String warehouse = policiesOfRole(REDSHIFT, "WarehouseRole");
        assertThat(warehouse)
                .contains("s3:PutObject", "s3:AbortMultipartUpload", "s3:ListBucket")
                .contains("/raw/*", "/errors/raw/*", "/redshift-intermediate/*", "/errors/redshift-intermediate/*");
        assertThat(warehouse).doesNotContain("s3:DeleteObject", "s3:PutObjectAcl", "s3:*", "/dead-letters/*");
        // Each delivery stream writes only under its own prefixes.
        String deadLetters = policiesOfRole(REDSHIFT, "DeadLetterArchiveRole");
        assertThat(deadLetters).contains("/dead-letters/*", "/errors/dead-letters/*");
        assertThat(deadLetters).doesNotContain("s3:DeleteObject", "/raw/*");
    }

    @Test
    void theFirehoseRangeParameterRefusesRangesWiderThanFirehosesOwn() {
        String pattern = REDSHIFT.findParameters("FirehoseCidr", Match.anyValue())
                .get("FirehoseCidr")
                .get("AllowedPattern")
                .toString();
        java.util.regex.Pattern allowed = java.util.regex.Pattern.compile(pattern);
        assertThat(List.of("52.70.63.192/27", "13.58.135.96/27", "10.0.0.1/32"))
                .allMatch(range -> allowed.matcher(range).matches());
        assertThat(List.of("0.0.0.0/0", "52.70.0.0/16", "52.70.63.128/26", "52.70.63.192"))
                .noneMatch(range -> allowed.matcher(range).matches());
    }

    @Test
    void theJobsDeadLettersAreKeptInTheArchiveAndAlarmedOnArrival() {
        for (Template template : List.of(REDSHIFT, S3_ONLY)) {
            template.hasResourceProperties(
                    "AWS::KinesisFirehose::DeliveryStream",
                    Match.objectLike(Map.of(
                            "KinesisStreamSourceConfiguration",
                            Match.objectLike(Map.of(
                                    "KinesisStreamARN",
                                    Map.of(
                                            "Fn::GetAtt",
                                            List.of(Match.stringLikeRegexp("^AnalyticsDeadLetters.*"), "Arn")))),
                            "S3DestinationConfiguration",
                            Match.objectLike(Map.of(
                                    "BucketARN",
                                    Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("^Archive.*"), "Arn")),
                                    "Prefix",
                                    "dead-letters/!{timestamp:yyyy/MM/dd/HH}/",
                                    "EncryptionConfiguration",
                                    Match.objectLike(Map.of("KMSEncryptionConfig", Match.anyValue())))))));
            template.hasResourceProperties(
                    "AWS::CloudWatch::Alarm",
                    Match.objectLike(Map.of(
                            "MetricName",
                            "IncomingRecords",
                            "Dimensions",
                            streamNamed("AnalyticsDeadLetters"),
                            "ComparisonOperator",
                            "GreaterThanThreshold",
                            "Threshold",
                            0,
                            "AlarmActions",
                            Match.anyValue())));
        }
        // The dead letters' delivery stream is watched like the archive's.
        REDSHIFT.resourcePropertiesCountIs(
                "AWS::CloudWatch::Alarm", Match.objectLike(Map.of("MetricName", "DeliveryToS3.DataFreshness")), 2);
        // The functions' dead letters: kept the longest SQS allows, alarmed on by depth.
        REDSHIFT.hasResourceProperties(
                "AWS::SQS::Queue", Match.objectLike(Map.of("MessageRetentionPeriod", 1_209_600)));
    }
}
