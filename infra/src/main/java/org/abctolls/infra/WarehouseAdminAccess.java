package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.constructs.Construct;

/**
 * What running SQL as the warehouse's admin takes through the Data API: its statements on
 * the workgroup, the admin secret that Redshift manages and the key that secret is encrypted
 * with.
 */
record WarehouseAdminAccess(String secretArn, String workgroupArn, IKey key) {

    /**
     * The admin secret's ARN, which CloudFormation does not return for a namespace that manages
     * its admin password (aws-cdk#29930), read from Redshift Serverless after the namespace
     * exists: so every grant on it names that one secret.
     */
    static WarehouseAdminAccess lookUp(Construct scope, CfnNamespace namespace, CfnWorkgroup workgroup, IKey key) {
        String secretField = "namespace.adminPasswordSecretArn";
        AwsSdkCall getNamespace = AwsSdkCall.builder()
                .service("RedshiftServerless")
                .action("getNamespace")
                .parameters(Map.of("namespaceName", namespace.getAttrNamespaceNamespaceName()))
                .physicalResourceId(PhysicalResourceId.of(RedshiftWarehouse.NAMESPACE + "-admin-secret"))
                .outputPaths(List.of(secretField))
                .build();
        AwsCustomResource lookup = AwsCustomResource.Builder.create(scope, "AdminSecret")
                .onCreate(getNamespace)
                .onUpdate(getNamespace)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("redshift-serverless:GetNamespace"))
                        .resources(List.of(namespace.getAttrNamespaceNamespaceArn()))
                        .build())))
                .installLatestAwsSdk(false)
                .logGroup(CustomResourceLogs.of(scope))
                .build();
        return new WarehouseAdminAccess(
                lookup.getResponseField(secretField), workgroup.getAttrWorkgroupWorkgroupArn(), key);
    }

    /**
     * @param submit the Data API actions that run SQL, allowed on this workgroup only
     * @param follow the actions that follow a statement by its id; they take no resource, and
     *     the Data API lets a role see only the statements it ran itself
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
