package org.abctolls.localpipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.abctolls.domain.BillingThresholdAlert;
import org.abctolls.domain.ContractViolationException;
import org.abctolls.domain.LowTrafficAlert;
import org.abctolls.domain.PassagesCsv;
import org.abctolls.domain.TollJson;
import org.abctolls.localkit.TopicQueues;

/**
 * What a run produced, as files: the SNS messages received, the ledger's month totals, the
 * rejected records, and the warehouse's passages (where the run had a warehouse).
 */
public final class OutputFiles {

    public static final String BILLING_ALERTS = "billing-alerts.jsonl";
    public static final String LOW_TRAFFIC_ALERTS = "low-traffic-alerts.jsonl";
    public static final String MONTHLY_TOTALS = "monthly-totals.csv";
    public static final String REJECTED = "rejected.jsonl";
    public static final String FAILED_BATCHES = "failed-batches.jsonl";
    public static final String WAREHOUSE_PASSAGES = PassagesCsv.FILE;

    private OutputFiles() {}

    public static void write(Path dir, LocalPipeline.Output output) {
        try {
            Files.createDirectories(dir);
            writeLines(
                    dir.resolve(BILLING_ALERTS),
                    listed(
                            output.billingAlerts(),
                            TollJson::readBillingThresholdAlert,
                            BillingThresholdAlert.LISTING_ORDER));
            writeLines(
                    dir.resolve(LOW_TRAFFIC_ALERTS),
                    listed(output.lowTrafficAlerts(), TollJson::readLowTrafficAlert, LowTrafficAlert.LISTING_ORDER));
            try (Writer writer = Files.newBufferedWriter(dir.resolve(MONTHLY_TOTALS), StandardCharsets.UTF_8)) {
                writer.write("customerId,month,totalCents\n");
                for (var customer : output.monthlyTotals().entrySet()) {
                    for (var month : customer.getValue().entrySet()) {
                        writer.write(customer.getKey() + "," + month.getKey() + "," + month.getValue() + "\n");
                    }
                }
            }
            writeLines(dir.resolve(REJECTED), output.rejected());
            if (output.warehouse().isPresent()) {
                try (Writer writer = Files.newBufferedWriter(dir.resolve(WAREHOUSE_PASSAGES), StandardCharsets.UTF_8)) {
                    PassagesCsv.write(writer, output.warehouse().get().passages());
                }
            } else {
                Files.deleteIfExists(dir.resolve(WAREHOUSE_PASSAGES));
            }
            if (output.failedBatches().isEmpty()) {
                Files.deleteIfExists(dir.resolve(FAILED_BATCHES));
            } else {
                writeLines(dir.resolve(FAILED_BATCHES), output.failedBatches());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outputs into " + dir, e);
        }
    }

    /**
     * Each message as it came, in the oracle's order of its alerts (so that {@code diff} compares
     * the files), not in the order they arrived; a message that is not such an alert after them,
     * in arrival order.
     */
    private static <T> List<String> listed(
            List<TopicQueues.Received> messages, Function<String, T> read, Comparator<T> order) {
        record Message<A>(String body, A alert) {}
        List<Message<T>> received = new ArrayList<>();
        for (TopicQueues.Received message : messages) {
            T alert;
            try {
                alert = read.apply(message.body());
            } catch (ContractViolationException notAnAlert) {
                alert = null;
            }
            received.add(new Message<>(message.body(), alert));
        }
        return received.stream()
                .sorted(Comparator.comparing(Message<T>::alert, Comparator.nullsLast(order)))
                .map(Message::body)
                .toList();
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
        }
    }
}
