package org.abctolls.localpipeline;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.abctolls.analytics.AnalyticsJob;
import org.abctolls.analytics.AwsConnection;
import org.abctolls.analytics.JobSettings;
import org.abctolls.localkit.AwsTarget;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics job on an embedded MiniCluster, wired to the run's resources as the stack
 * wires it on Managed Flink: started, killed and restored from its latest checkpoint, and at
 * the end drained into a savepoint, which closes every open window as a bounded input's end
 * does. Its progress is read from its metrics ({@link FlinkGauges}).
 */
final class LocalAnalyticsJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAnalyticsJob.class);
    /** The stack's construct that holds the Managed Flink application. */
    private static final String APPLICATION = "Analytics";

    private final AwsTarget aws;
    private final LocalResources resources;
    private final LocalPipeline.Options options;
    private JobClient job;
    private boolean finished;

    private LocalAnalyticsJob(AwsTarget aws, LocalResources resources, LocalPipeline.Options options) {
        this.aws = aws;
        this.resources = resources;
        this.options = options;
    }

    static LocalAnalyticsJob start(AwsTarget aws, LocalResources resources, LocalPipeline.Options options)
            throws Exception {
        LocalAnalyticsJob job = new LocalAnalyticsJob(aws, resources, options);
        job.job = job.submit(null);
        return job;
    }

    /** Until the job's Kinesis reader reports its place on {@code TollEvents}. */
    void awaitReading(Duration timeout) {
        await("the analytics job to read TollEvents")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> FlinkGauges.millisBehindLatest().isPresent());
    }

    /**
     * Caught up when every shard's reader reports itself at the stream's tip twice in a row,
     * a second apart, so that a reading taken before the last records arrived does not count.
     */
    void awaitCaughtUp(Duration timeout) {
        int[] atTip = {0};
        await("the analytics job to read every record on TollEvents")
                .atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    OptionalLong behind = FlinkGauges.millisBehindLatest();
                    atTip[0] = behind.isPresent() && behind.getAsLong() == 0 ? atTip[0] + 1 : 0;
                    return atTip[0] >= 2;
                });
    }

    /**
     * Cancels the job, as a crash would, and starts it again from its latest completed
     * checkpoint: the consumer resumes from the checkpointed shard positions, the windows and
     * the de-duplication from their checkpointed state.
     */
    void killAndRestoreFromLatestCheckpoint() throws Exception {
        await("a completed checkpoint of job " + job.getJobID())
                .atMost(Duration.ofMinutes(2))
                .until(() -> latestCheckpoint().isPresent());
        job.cancel().get(2, TimeUnit.MINUTES);
        try {
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
        } catch (ExecutionException cancelled) {
            LOG.info(
                    "analytics job {} killed: {}",
                    job.getJobID(),
                    cancelled.getCause().getMessage());
        }
        job = submit(latestCheckpoint().orElseThrow().toUri().toString());
    }

    /** Stops the job with a drained savepoint: every open window closes and fires. */
    void drain(Duration timeout) throws Exception {
        String savepoint = job.stopWithSavepoint(
                        true, options.workDir().resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        finished = true;
        LOG.info("analytics job drained into {}", savepoint);
    }

    /** Cancels the job unless it was drained, and returns once it has ended. */
    @Override
    public void close() {
        if (job == null) {
            return;
        }
        try {
            if (!finished) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            // Flink acknowledges a cancel before the tasks stop: once the job has ended, nothing
            // writes to its checkpoint directory any more, and the caller may remove it.
            job.getJobExecutionResult().handle((result, failure) -> null).get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            LOG.warn("could not stop the analytics job", e);
        }
    }

    private JobClient submit(String restoreFrom) throws Exception {
        Configuration configuration = new Configuration();
        configuration.setString(FlinkGauges.CONFIG_PREFIX + "factory.class", FlinkGauges.Factory.class.getName());
        configuration.setString("state.checkpoints.dir", checkpoints().toUri().toString());
        configuration.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        if (restoreFrom != null) {
            configuration.setString("execution.savepoint.path", restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, configuration);
        env.enableCheckpointing(options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        AnalyticsJob.define(env, JobSettings.from(jobProperties()));
        JobClient started = env.executeAsync("ABC Tolls analytics (local)");
        LOG.info("analytics job {} started{}", started.getJobID(), restoreFrom == null ? "" : " from " + restoreFrom);
        return started;
    }

    /**
     * The runtime properties the stack gives the job (its property group in the template, with
     * the kit's resources in place of the stack's), the kit's endpoints and credentials, and
     * three local settings: a watermark after every record and a one-second reference-data
     * poll, so that a local run judges lateness record by record as the simulator's oracle
     * does, and the run's watermark bound.
     */
    private Properties jobProperties() {
        Properties properties = new Properties();
        properties.putAll(resources.propertyGroupOf(APPLICATION, JobSettings.PROPERTY_GROUP));
        // The kit's endpoints and keys over whatever connection the template names.
        properties.putAll(JobSettings.awsProperties(AwsConnection.of(
                aws.region().id(),
                aws.endpoint("kinesis").orElse(null),
                aws.endpoint("s3").orElse(null),
                aws.isEmulated(),
                aws.credentials())));
        properties.setProperty("reference.poll-interval", "PT1S");
        properties.setProperty("watermark.bound", options.watermarkBound().toString());
        properties.setProperty("watermark.after-every-record", "true");
        return properties;
    }

    private Path checkpoints() {
        return options.workDir().resolve("checkpoints").toAbsolutePath();
    }

    private Optional<Path> latestCheckpoint() throws IOException {
        Path jobCheckpoints = checkpoints().resolve(job.getJobID().toHexString());
        if (!Files.isDirectory(jobCheckpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> candidates = Files.list(jobCheckpoints)) {
            return candidates
                    .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> Files.exists(dir.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            dir -> Long.parseLong(dir.getFileName().toString().substring(4))));
        }
    }
}
