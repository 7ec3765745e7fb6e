package org.abctolls.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * cdk-nag findings the stack accepts, each with its reason, recorded where the resource is
 * made so that the reason sits next to the choice; those of the CDK's grant methods across the
 * whole stack are accepted here ({@link #acceptGrantWildcards}).
 */
final class Findings {
    private Findings() {}

    static void accept(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).build()),
                true);
    }

    /** Accepts only the findings of {@code rule} that match {@code appliesTo} (a regular expression). */
    static void acceptMatching(IConstruct construct, String rule, String appliesTo, String reason) {
        NagSuppressions.addResourceSuppressions(
                construct,
                List.of(NagPackSuppression.builder()
                        .id(rule)
                        .reason(reason)
                        .appliesTo(List.of(
                                RegexAppliesTo.builder().regex(appliesTo).build()))
                        .build()),
                true);
    }

    /** The handlers of aws-cdk-lib's {@code BucketDeployment}s, made by the CDK in the stack's scope. */
    static void acceptBucketDeploymentHandlers(Stack stack) {
        stack.getNode().getChildren().stream()
                .filter(child -> child.getNode().getId().startsWith("Custom::CDKBucketDeployment"))
                .forEach(handler -> {
                    accept(
                            handler,
                            "AwsSolutions-L1",
                            "aws-cdk-lib's own BucketDeployment handler, whose runtime the CDK chooses");
                    acceptMatching(
                            handler,
                            "AwsSolutions-IAM5",
                            "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-(<AWS::AccountId>|[0-9]{12})-.*\\/\\*$/",
                            "aws-cdk-lib's own BucketDeployment handler reads the files to copy from the CDK asset "
                                    + "bucket, as the CDK grants it");
                });
    }

    /**
     * What the CDK's grant methods write: scoped to this stack's key and buckets (and, for the
     * reference data's deployment, reading the CDK asset bucket), wildcards only within them.
     */
    static void acceptGrantWildcards(Stack stack) {
        Findings.acceptMatching(
                stack,
                "AwsSolutions-IAM5",
                "/^Action::(kms:(GenerateDataKey|ReEncrypt)\\*|s3:(GetObject|GetBucket|List|DeleteObject|Abort)\\*)$/",
                "Action wildcards written by CDK grant methods: on this stack's own key and buckets, and the "
                        + "read grant the reference data's BucketDeployment gets on the CDK asset bucket it copies from");
        Findings.acceptMatching(
                stack,
                "AwsSolutions-IAM5",
                "/^Resource::<[A-Za-z0-9]+\\.Arn>(\\/[a-z-]+)*\\/\\*$/",
                "Object permissions within this stack's buckets are granted on bucket/* or, for the delivery "
                        + "streams, on bucket/<their prefix>/*");
        Findings.acceptMatching(
                stack,
                "AwsSolutions-IAM4",
                "/^Policy::arn:<AWS::Partition>:iam::aws:policy\\/service-role\\/AWSLambdaBasicExecutionRole$/",
                "AWSLambdaBasicExecutionRole only lets a function write its own logs");
    }
}
