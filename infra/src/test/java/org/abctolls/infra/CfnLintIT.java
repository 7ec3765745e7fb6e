package org.abctolls.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kinesis.StreamMode;

/**
 * cfn-lint (installed by {@code ./tolls test} from {@code infra/cfn-lint/requirements.txt})
 * on the synthesized template of each warehouse mode: no errors. Warnings are printed.
 */
class CfnLintIT {

    /** cfn-lint's exit status is a bit set: 2 means errors, 4 warnings, 8 informational. */
    private static final int ERRORS = 2;

    @ParameterizedTest
    @EnumSource(PipelineSettings.Warehouse.class)
    void theTemplateHasNoCfnLintErrors(PipelineSettings.Warehouse warehouse, @TempDir Path out)
            throws IOException, InterruptedException {
        App app = App.Builder.create().outdir(out.toString()).build();
        PipelineSettings defaults = PipelineSettings.defaults();
        new TollsStack(
                app,
                "AbcTolls",
                StackProps.builder().build(),
                new PipelineSettings(
                        StreamMode.PROVISIONED,
                        2,
                        defaults.retention(),
                        warehouse,
                        2,
                        defaults.silenceAlarm(),
                        defaults.futureTolerance()));
        app.synth();

        Process lint = new ProcessBuilder(
                        cfnLint(), out.resolve("AbcTolls.template.json").toString())
                .redirectErrorStream(true)
                .start();
        String report = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.err.println(report);

        assertThat(lint.exitValue() & ERRORS).as(report).isZero();
    }

    private static String cfnLint() {
        String configured = Map.copyOf(System.getenv()).get("TOLLS_CFN_LINT");
        Path path = Path.of(configured != null ? configured : "../.tolls/cfn-lint/venv/bin/cfn-lint");
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException("cfn-lint is not installed at " + path + "; ./tolls test installs it");
        }
        return path.toString();
    }
}
