package org.abctolls.localkit;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code ./tolls local check}: {@link ServiceCheck}, {@link DynamoDbCheck} and {@link
 * CloudFormationCheck} against the kit, or against the AWS
 * the environment names, one line per service with what it saw; exit code 1 if one failed.
 */
public final class ServiceCheckCommand {

    private ServiceCheckCommand() {}

    /** Runs every check against the kit (or the environment's endpoints) and prints what each saw. */
    public static void main(String[] args) {
        AwsTarget aws = AwsTarget.of(System.getenv());
        ServiceCheck check = new ServiceCheck(aws);
        System.out.println("Checking every service the local pipeline uses against the " + aws);
        boolean allPassed = report("kinesis", () -> {
                    ServiceCheck.KinesisRoundTrip trip = check.kinesisRoundTrip(1_000, 2);
                    return "PutRecords " + trip.written().size() + " records on 2 shards, read back "
                            + trip.readBack().size() + " " + trip.recordsPerShard();
                })
                & report("dynamodb", () -> {
                    DynamoDbCheck.ConditionalUpdate update = new DynamoDbCheck(aws).conditionalUpdate();
                    return "conditional create and update to " + update.finalTotal() + "; second create refused: "
                            + update.secondCreateRejected() + "; stale update refused: "
                            + update.staleUpdateRejected();
                })
                & report("cloudformation", () -> {
                    CloudFormationCheck.EncryptedQueue queue = new CloudFormationCheck(aws).encryptedQueueStack();
                    return "deployed a key " + queue.stackKeyId() + " and a queue encrypted with " + queue.queueKeyId();
                })
                & report("sns->sqs", () -> "received " + check.snsToSqs("{\"type\":\"CHECK\"}"))
                & report(
                        "s3",
                        () -> "read back "
                                + new String(
                                                check.s3PutGet(
                                                        "stationId,name,timeZone\n".getBytes(StandardCharsets.UTF_8)),
                                                StandardCharsets.UTF_8)
                                        .strip())
                & report(
                        "firehose",
                        () -> "delivered to S3 as "
                                + check.firehoseToS3("{\"type\":\"CHECK\"}").strip())
                & report("warehouse", () -> "wrote and read back " + check.warehouseRoundTrip());
        if (!allPassed) {
            System.exit(1);
        }
    }

    private static boolean report(String service, Callable<String> check) {
        long started = System.nanoTime();
        try {
            String observed = check.call();
            System.out.printf("  ok    %-14s %s (%.1f s)%n", service, observed, (System.nanoTime() - started) / 1e9);
            return true;
        } catch (Exception e) {
            System.out.printf("  FAIL  %-14s %s%n", service, e);
            return false;
        }
    }
}
