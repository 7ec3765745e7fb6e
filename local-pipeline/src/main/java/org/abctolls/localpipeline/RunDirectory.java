package org.abctolls.localpipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.io.FileUtils;

/**
 * A run's work directory (the job's checkpoints and savepoints), removed when the run ends,
 * also on Ctrl-C: that runs the JVM's shutdown hooks and ends it whatever the run is doing, so
 * a hook stops the pipeline it was given and removes the directory.
 */
final class RunDirectory implements AutoCloseable {

    private final Path path;
    private final AtomicReference<AutoCloseable> running = new AtomicReference<>();
    private final Thread stopOnExit;

    private RunDirectory(Path path) {
        this.path = path;
        this.stopOnExit = new Thread(this::stop, "stop-the-run");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    static RunDirectory create(String prefix) throws IOException {
        return new RunDirectory(Files.createTempDirectory(prefix));
    }

    Path path() {
        return path;
    }

    /** The pipeline that Ctrl-C stops. */
    void running(AutoCloseable pipeline) {
        running.set(pipeline);
    }

    /** What the shutdown hook does. */
    void stop() {
        AutoCloseable pipeline = running.get();
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the run's pipeline", e);
        } finally {
            FileUtils.deleteQuietly(path.toFile());
        }
    }

    @Override
    public void close() {
        // A directory Flink still writes to at that moment is not a failed run.
        FileUtils.deleteQuietly(path.toFile());
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came while the run was ending: the hook runs anyway, and does no harm.
        }
    }
}
