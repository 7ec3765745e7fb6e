package org.abctolls.infra;

import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * Writes the stack's template with the default settings into the given folder, as the build
 * does into {@code infra/target/cdk.out}: the local pipeline creates its resources from it, so
 * that the kit and AWS cannot drift apart.
 */
public final class SynthesizeTemplate {
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
        new TollsStack(app, "AbcTolls", StackProps.builder().build(), PipelineSettings.defaults());
        app.synth();
    }
}
