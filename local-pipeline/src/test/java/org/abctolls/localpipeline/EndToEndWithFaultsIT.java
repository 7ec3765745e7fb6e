package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.abctolls.functions.Faults;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalAwsExtension;
import org.abctolls.localkit.LocalStackFaults;
import org.abctolls.localkit.UniqueNames;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Generator;
import org.abctolls.sim.Oracle;
import org.abctolls.sim.Simulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The hostile day of {@link HostileInputIT}, through the same pipeline, while it is being hurt:
 * LocalStack fails a fifth of all Kinesis writes (the simulator's and the job's); the job is
 * killed at midday, between the two blocks of hostile records, and restored from its latest
 * checkpoint; the billing function dies in the middle of a batch, after one of its ledger
 * transactions took effect; and later DynamoDB is out of reach for the billing function for
 * longer than an event source mapping's ten retries last. The outputs must still be exactly
 * the oracle's: nothing lost, nothing billed or alerted twice, no batch given up.
 */
@ExtendWith(LocalAwsExtension.class)
class EndToEndWithFaultsIT {

    private static final int CRASHING_LEDGER_WRITE = 150;

    /** The ledger write at which DynamoDB goes out of reach for the billing function. */
    private static final int OUTAGE_AT_LEDGER_WRITE = 400;

    /**
     * Longer than ten retries of a batch take (0.1 s doubling to 5 s: 26 s), which was the
     * billing mapping's limit before the batch went to the on-failure queue and the shard moved on.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(40);

    /**
     * LocalStack fails a whole PutRecords call at a time. Sent in full 500-record calls the day
     * takes only a dozen calls, and one run in fourteen would see no simulator fault at all; in
     * calls of 50 records that chance is below one in ten billion.
     */
    private static final int RECORDS_PER_PUT = 50;

    @Test
    void kinesisErrorsAJobKilledMidRunAndAFunctionCrashingMidBatchChangeNothingInTheOutputs(
            AwsTarget aws, @TempDir Path workDir) throws Exception {
        Simulation day = Generator.generate(HostileInputIT.HOSTILE_DAY);
        Oracle.Result oracle = EndToEndIT.oracleOf(day);
        AtomicInteger ledgerWrites = new AtomicInteger();
        AtomicReference<Instant> outageStarted = new AtomicReference<>();
        LocalPipeline.Options options = LocalPipeline.Options.in(workDir, EndToEndIT.WATERMARK_BOUND);
        UnaryOperator<DynamoDbClient> crashingLedger = client -> countingLedgerWrites(
                Faults.failWhile(
                        DynamoDbClient.class,
                        Faults.failOnceAt(
                                DynamoDbClient.class,
                                client,
                                "transactWriteItems",
                                CRASHING_LEDGER_WRITE,
                                Faults.When.AFTER_CALL),
                        null,
                        request -> true,
                        () -> outage(ledgerWrites, outageStarted)),
                ledgerWrites);
        List<Emission> emissions = day.emissions();
        Instant midday = day.emissions().stream()
                .filter(emission -> emission.kind() == Emission.Kind.OVERSIZED)
                .findFirst()
                .orElseThrow()
                .arrival()
                .plusMillis(1);
        int killAt = 0;
        while (emissions.get(killAt).arrival().isBefore(midday)) {
            killAt++;
        }
        List<Emission> firstHalf = emissions.subList(0, killAt);
        List<Emission> secondHalf = emissions.subList(killAt, emissions.size());

        LocalPipeline.Output output;
        long publishRetries;
        try (LocalPipeline pipeline = LocalPipeline.start(
                aws,
                StackTemplate.read(EndToEndIT.TEMPLATE),
                UniqueNames.of("faults"),
                new LocalPipeline.Reference(day.stations(), day.thresholds(), day.customers()),
                options,
                crashingLedger)) {
            LocalStackFaults kinesisErrors = LocalStackFaults.kinesisErrors(aws, 0.2);
            try {
                publishInSmallCalls(pipeline, firstHalf);
                pipeline.killJobAndRestoreFromLatestCheckpoint();
                publishInSmallCalls(pipeline, secondHalf);
                output = pipeline.finish(EndToEndIT.TIMEOUT);
            } finally {
                kinesisErrors.close();
            }
            publishRetries = pipeline.progress().publishRetries();
        }

        assertThat(publishRetries).as("records the simulator had to send again").isPositive();
        assertThat(ledgerWrites)
                .as("ledger transactions, one of them crashing")
                .hasValueGreaterThan(OUTAGE_AT_LEDGER_WRITE);
        assertThat(outageStarted.get()).as("DynamoDB went out of reach").isNotNull();
        EndToEndIT.assertMatchesOracle(output, oracle, day, OracleComparison.Delivery.AT_LEAST_ONCE);
        System.out.printf(
                "with faults (the simulator re-sent %d records): latency from window close to alert: billing %s;"
                        + " low traffic %s%n",
                publishRetries, output.billingLatency(), output.lowTrafficLatency());
    }

    /** Out of reach from the given ledger write on, for {@link #OUTAGE}. */
    private static boolean outage(AtomicInteger ledgerWrites, AtomicReference<Instant> started) {
        if (ledgerWrites.get() < OUTAGE_AT_LEDGER_WRITE) {
            return false;
        }
        Instant now = Instant.now();
        started.compareAndSet(null, now);
        return now.isBefore(started.get().plus(OUTAGE));
    }

    private static void publishInSmallCalls(LocalPipeline pipeline, List<Emission> emissions)
            throws InterruptedException {
        for (int from = 0; from < emissions.size(); from += RECORDS_PER_PUT) {
            pipeline.publish(emissions.subList(from, Math.min(from + RECORDS_PER_PUT, emissions.size())));
        }
    }

    private static DynamoDbClient countingLedgerWrites(DynamoDbClient client, AtomicInteger writes) {
        return (DynamoDbClient) Proxy.newProxyInstance(
                DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, (self, method, args) -> {
                    if (method.getName().equals("transactWriteItems")) {
                        writes.incrementAndGet();
                    }
                    try {
                        return method.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
