package org.abctolls.localkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's warehouse process on its own, as kit.sh starts and stops it. */
class WarehouseServerIT {

    /**
     * pg_ctl starts PostgreSQL in a session of its own, so a TERM that ended this process while
     * PostgreSQL was still starting left PostgreSQL running, its port open (KitLifecycleIT's
     * Ctrl-C while starting met it once): the kit could neither stop it nor start again there.
     */
    @Test
    void aTermWhilePostgresIsStartingStopsItOnceItHasStarted(@TempDir Path directory) throws Exception {
        int port = LoopbackPorts.freePort();
        Path data = directory.resolve("data");
        Path ready = directory.resolve("ready");
        Path log = directory.resolve("warehouse.log");
        Process server = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        WarehouseServer.class.getName(),
                        Integer.toString(port),
                        data.toString(),
                        ready.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            // initdb's last step: pg_ctl starts the server next.
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(log) && Files.readString(log).contains("syncing data to disk"));

            server.destroy();

            assertThat(server.waitFor(2, TimeUnit.MINUTES)).isTrue();
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !LoopbackPorts.isListening(port)
                            && postgresServing(data).isEmpty());
            assertThat(ready).doesNotExist();
        } finally {
            server.destroyForcibly();
            postgresServing(data).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** PostgreSQL processes started on the data directory (its command line names it after -D). */
    private static List<ProcessHandle> postgresServing(Path data) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains("-D " + data))
                .toList();
    }
}
