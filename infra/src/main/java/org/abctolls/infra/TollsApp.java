package org.abctolls.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy}: the pipeline stack, checked by cdk-nag's AWS Solutions rules. */
public final class TollsApp {
    private TollsApp() {}

    public static void main(String[] args) {
        App app = new App();
        define(app, System.getenv("CDK_DEFAULT_ACCOUNT"), System.getenv("CDK_DEFAULT_REGION"));
        app.synth();
    }

    /**
     * The stack in the account and region {@code cdk} gives the app (none for a template that
     * deploys anywhere), with cdk-nag's findings as error annotations, which make {@code cdk
     * synth} and {@code cdk deploy} fail.
     */
    static TollsStack define(App app, String account, String region) {
        TollsStack stack = new TollsStack(
                app,
                "AbcTolls",
                StackProps.builder()
                        .description("ABC Tolls streaming pipeline (Kinesis, Managed Flink, Lambda, Firehose)")
                        .env(Environment.builder()
                                .account(account)
                                .region(region)
                                .build())
                        .build(),
                PipelineSettings.fromContext(app.getNode()));
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }
}
