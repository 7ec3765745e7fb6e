package org.abctolls.localpipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The same day as {@link EndToEndIT}, through the same pipeline, while it is being hurt:
 * LocalStack fails a fifth of all Kinesis writes (the simulator's and the job's), the job is
 * killed halfway and restored from its latest checkpoint, and the billing function dies in the
 * middle of a batch, after one of its ledger transactions took effect. The outputs must still
 * be exactly the oracle's: nothing lost, nothing billed or alerted twice.
 */
@ExtendWith(LocalAwsExtension.class)
class EndToEndWithFaultsIT {

    private static final int CRASHING_LEDGER_WRITE = 150;

    /**
     * LocalStack fails a whole PutRecords call at a time. Sent in full 500-record calls the day
     * takes only a dozen calls, and one run in fourteen would see no simulator fault at all; in
     * calls of 50 records that chance is below one in ten billion.
     */
    private static final int RECORDS_PER_PUT = 50;

    @Test
    void kinesisErrorsAJobKilledMidRunAndAFunctionCrashingMidBatchChangeNothingInTheOutputs(
            AwsTarget aws, @TempDir Path workDir) throws Exception {
        Simulation day = Generator.generate(EndToEndIT.DAY);
        Oracle.Result oracle = EndToEndIT.oracleOf(day);
        AtomicInteger ledgerWrites = new AtomicInteger();
        LocalPipeline.Options options = LocalPipeline.Options.in(workDir)
                .withWatermarkBound(EndToEndIT.WATERMARK_BOUND)
                .withBillingDynamoDb(client -> countingLedgerWrites(
                        Faults.failOnceAt(
                                DynamoDbClient.class,
                                client,
                                "transactWriteItems",
                                CRASHING_LEDGER_WRITE,
                                Faults.When.AFTER_CALL),
                        ledgerWrites));
        List<Emission> emissions = day.emissions();
        List<Emission> firstHalf = emissions.subList(0, emissions.size() / 2);
        List<Emission> secondHalf = emissions.subList(emissions.size() / 2, emissions.size());

        LocalPipeline.Output output;
        long publishRetries;
        try (LocalPipeline pipeline = LocalPipeline.start(
                aws,
                StackTemplate.read(EndToEndIT.TEMPLATE),
                UniqueNames.of("faults"),
                new LocalPipeline.Reference(day.stations(), day.thresholds(), day.customers()),
                options)) {
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
                .hasValueGreaterThan(CRASHING_LEDGER_WRITE);
        EndToEndIT.assertMatchesOracle(output, oracle, day, EndToEndIT.DeadLetters.AT_LEAST_ONCE);
        System.out.printf(
                "with faults (the simulator re-sent %d records): latency from window close to alert: billing %s;"
                        + " low traffic %s%n",
                publishRetries, output.billingLatency(), output.lowTrafficLatency());
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
