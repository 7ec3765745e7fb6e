package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's refusals, which come before any AWS is reached. */
class ReplayTest {

    @TempDir
    Path dir;

    @Test
    void anInputDirectoryWithoutItsFilesExitsWith2AndNamesTheMissingFile() {
        StringWriter errors = new StringWriter();

        int exitCode = new CommandLine(new Replay())
                .setErr(new PrintWriter(errors, true))
                .execute("--input", dir.toString(), "--out", dir.resolve("out").toString(), "--template", "unused");

        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString()).contains("replay: invalid input: missing " + dir.resolve("stations.csv"));
    }

    @Test
    void withoutOutExitsWith2() {
        StringWriter errors = new StringWriter();

        int exitCode = new CommandLine(new Replay())
                .setErr(new PrintWriter(errors, true))
                .execute("--input", dir.toString(), "--template", "unused");

        assertThat(exitCode).isEqualTo(2);
        assertThat(errors.toString()).contains("Missing required option: '--out=DIR'");
    }
}
