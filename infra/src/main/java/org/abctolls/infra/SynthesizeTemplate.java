package org.abctolls.infra;

import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * Writes the stack's templates into the given folder, as the build does into
 * {@code infra/target/cdk.out}: {@value #STACK} with the default settings, and
 * {@value #LOCAL_STACK}, the same stack as {@code cdk deploy -c shards=1 -c warehouse=s3
 * -c flinkParallelism=1} would deploy it, from which the local pipeline creates its resources,
 * so that the kit and AWS cannot drift apart.
 *
 * <p>The local flavour has one shard per stream because only then does the job read the records
 * in the order they were sent, which is what makes a local run comparable, record for record,
 * with the simulator's oracle; and an S3 archive because the kit has no Redshift.
 */
public final class SynthesizeTemplate {
    public static final String STACK = "AbcTolls";
    public static final String LOCAL_STACK = "AbcTollsLocal";

    private SynthesizeTemplate() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SynthesizeTemplate OUTPUT_DIR");
        }
        // Construct paths in the metadata, as the CDK command line writes them: resources are named by them.
        App app = App.Builder.create()
                .outdir(args[0])
                .context(Map.of("aws:cdk:enable-path-metadata", true))
                .build();
        PipelineSettings defaults = PipelineSettings.defaults();
        new TollsStack(app, STACK, StackProps.builder().build(), defaults);
        new TollsStack(
                app,
                LOCAL_STACK,
                StackProps.builder().build(),
                new PipelineSettings(
                        defaults.streamMode(),
                        1,
                        defaults.retention(),
                        PipelineSettings.Warehouse.S3,
                        1,
                        defaults.silenceAlarm(),
                        defaults.futureTolerance()));
        app.synth();
    }
}
