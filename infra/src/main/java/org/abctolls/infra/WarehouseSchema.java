package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.customresources.LogOptions;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.constructs.Construct;

/**
 * The warehouse's table, the analysts' view and the loader users (the given statements), run in
 * one transaction when the stack is made and again whenever their SQL changes; the deployment
 * waits until Redshift finished them (WarehouseSchemaHandler's isComplete, asked every 10
 * seconds).
 */
final class WarehouseSchema extends Construct {

    static final String HANDLER = "org.abctolls.functions.WarehouseSchemaHandler";

    /** How long a deployment waits for the statement: a cold workgroup takes minutes to answer. */
    static final Duration TIMEOUT = Duration.minutes(30);

    private final CustomResource schema;

    WarehouseSchema(
            Construct scope,
            String id,
            CfnWorkgroup workgroup,
            WarehouseAdminAccess admin,
            ISecret loader,
            Code code,
            List<String> ddl) {
        super(scope, id);
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
                code,
                "Submits the warehouse's table, view and loader users through the Redshift Data API",
                HANDLER + "::onEvent",
                // It waits for Redshift to say which users exist; a paused workgroup takes a while to answer.
                builder -> builder.role(handlers).timeout(Duration.minutes(5)));
        Function isComplete = JavaHandlerFunction.create(
                this,
                "SchemaComplete",
                "SchemaCompleteLogs",
                code,
                "Tells the deployment whether the warehouse schema's statement finished",
                HANDLER + "::isComplete",
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
                .totalTimeout(TIMEOUT)
                .logGroup(CustomResourceLogs.of(this))
                .disableWaiterStateMachineLogging(false)
                .waiterStateMachineLogOptions(LogOptions.builder()
                        .destination(LogGroup.Builder.create(this, "SchemaWaiterLogs")
                                .retention(RetentionDays.ONE_MONTH)
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
        schema = CustomResource.Builder.create(this, "Schema")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::WarehouseSchema")
                // In a fixed order (Map.of's differs from one JVM to the next): the same stack
                // synthesizes the same template, and a deploy runs the schema again only when
                // something in it changed.
                .properties(new TreeMap<>(Map.of(
                        "WorkgroupName",
                        workgroup.getWorkgroupName(),
                        "Database",
                        RedshiftWarehouse.DATABASE,
                        "AdminSecretArn",
                        admin.secretArn(),
                        "LoaderSecretArn",
                        loader.getSecretArn(),
                        "Schema",
                        RedshiftWarehouse.SCHEMA,
                        "Table",
                        RedshiftWarehouse.TABLE,
                        "Sqls",
                        ddl)))
                .build();
        schema.getNode().addDependency(workgroup);
    }

    /** The custom resource: whatever needs the table or the loader users depends on it. */
    CustomResource resource() {
        return schema;
    }
}
