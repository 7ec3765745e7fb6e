package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RunDirectoryTest {

    @Test
    void aRunThatEndsRemovesItsCheckpoints() throws Exception {
        RunDirectory workDir = RunDirectory.create("run-directory-test");
        Files.writeString(workDir.path().resolve("chk-1"), "state");

        workDir.close();

        assertThat(workDir.path()).doesNotExist();
    }

    /** What Ctrl-C does, through the JVM's shutdown hook. */
    @Test
    void ctrlCStopsThePipelineAndRemovesTheCheckpoints() throws Exception {
        try (RunDirectory workDir = RunDirectory.create("run-directory-test")) {
            Files.writeString(workDir.path().resolve("chk-1"), "state");
            AtomicBoolean stopped = new AtomicBoolean();
            workDir.running(() -> stopped.set(true));

            workDir.stop();

            assertThat(stopped).isTrue();
            assertThat(workDir.path()).doesNotExist();
        }
    }
}
