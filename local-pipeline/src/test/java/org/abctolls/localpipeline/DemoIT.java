package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code ./tolls demo}, shortened to a few simulated hours: it must end with the oracle's outputs and exit 0. */
@ExtendWith(LocalAwsExtension.class)
class DemoIT {

    /**
     * @param aws not used here: the demo finds the kit itself, as {@code ./tolls demo} does;
     *     asking for it starts the kit when this test runs first
     */
    @Test
    void aShortDemoPrintsProgressLatencyAndThatTheOutputsAreExactlyTheOracles(AwsTarget aws) {
        StringWriter console = new StringWriter();

        int exitCode = new CommandLine(new Demo())
                .setOut(new PrintWriter(console, true))
                .execute(
                        "--span", "PT3H",
                        "--speed", "1200",
                        "--template", EndToEndIT.TEMPLATE.toString());

        assertThat(exitCode).as(console.toString()).isZero();
        assertThat(console.toString())
                .contains("sending PT3H of traffic")
                .containsPattern("billing alerts +\\d+ +\\d+ +identical")
                .containsPattern("low-traffic alerts +\\d+ +\\d+ +identical")
                .containsPattern("warehouse passages +\\d+ +\\d+ +identical")
                .containsPattern("\\| warehouse [\\d,]+/[\\d,]+ passages")
                .contains("to its passage being queryable in the warehouse")
                .contains("billing alerts:      ")
                .contains("the pipeline's outputs are exactly the oracle's");
        Matcher checkpoints =
                Pattern.compile("checkpoints: (\\S+), removed at the end").matcher(console.toString());
        assertThat(checkpoints.find()).as(console.toString()).isTrue();
        assertThat(Path.of(checkpoints.group(1))).as("the run's checkpoints").doesNotExist();
        System.out.println(console);
    }
}
