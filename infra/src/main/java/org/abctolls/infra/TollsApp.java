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
        new TollsStack(
                app,
                "AbcTolls",
                StackProps.builder()
                        .description("ABC Tolls streaming pipeline (Kinesis, Managed Flink, Lambda, Firehose)")
                        .env(Environment.builder()
                                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                                .region(System.getenv("CDK_DEFAULT_REGION"))
                                .build())
                        .build(),
                PipelineSettings.fromContext(app.getNode()));
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        app.synth();
    }
}
