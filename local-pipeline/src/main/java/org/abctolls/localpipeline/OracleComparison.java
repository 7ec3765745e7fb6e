package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abctolls.domain.DeadLetter;
import org.abctolls.domain.TollJson;
import org.abctolls.localkit.TopicQueues;
import org.abctolls.sim.Emission;
import org.abctolls.sim.Oracle;

/**
 * A run's outputs beside the simulator's oracle, output by output, as {@code ./tolls demo}
 * prints them and the end-to-end tests require them: the alerts each subscriber received,
 * every customer's month totals in the ledger, the records refused (each by the stage that
 * refuses it, with its reason and as much of the record as a dead letter holds), no batch
 * given up, and the warehouse's passages and rows.
 */
public final class OracleComparison {

    /**
     * How often a refused record, or a passage's row in the warehouse, may appear: exactly once,
     * or at least once in a run that restored the job from a checkpoint (its sinks, like
     * Firehose's delivery, are at-least-once; the alerts and totals stay exact either way).
     */
    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE
    }

    /** One output: how many items the pipeline produced and the oracle expects, and each difference. */
    public record Row(String output, long actual, long expected, List<String> differences) {
        public boolean same() {
            return differences.isEmpty();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Row> rows;

    private OracleComparison(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** @param sent every record the run sent, in order, as the simulator made them */
    public static OracleComparison of(
            LocalPipeline.Output output, Oracle.Result oracle, List<Emission> sent, Delivery delivery) {
        List<Row> rows = new ArrayList<>();
        rows.add(sameItems(
                "billing alerts",
                output.billingAlerts().stream()
                        .map(TopicQueues.Received::body)
                        .map(TollJson::readBillingThresholdAlert)
                        .toList(),
                oracle.billingAlerts()));
        rows.add(sameItems(
                "low-traffic alerts",
                output.lowTrafficAlerts().stream()
                        .map(TopicQueues.Received::body)
                        .map(TollJson::readLowTrafficAlert)
                        .toList(),
                oracle.lowTrafficAlerts()));
        rows.add(sameItems("customer-month totals", monthTotals(output.monthlyTotals()), monthTotals(oracle)));
        rows.add(rejected(output.rejected(), oracle, sent, delivery));
        rows.add(new Row(
                "batches given up",
                output.failedBatches().size(),
                0,
                output.failedBatches().stream()
                        .map(batch -> "given up: " + batch)
                        .toList()));
        output.warehouse().ifPresent(warehouse -> {
            rows.add(sameItems("warehouse passages", warehouse.passages(), oracle.passages()));
            long rowsExpected = oracle.distinctPassages() + oracle.duplicates();
            boolean rowsRight = delivery == Delivery.EXACTLY_ONCE
                    ? warehouse.sightingsOfPassages() == rowsExpected
                    : warehouse.sightingsOfPassages() >= rowsExpected;
            rows.add(new Row(
                    "warehouse rows",
                    warehouse.sightingsOfPassages(),
                    rowsExpected,
                    rowsRight
                            ? List.of()
                            : List.of(
                                    "rows of passages, re-sent duplicates included: " + warehouse.sightingsOfPassages()
                                            + (delivery == Delivery.EXACTLY_ONCE ? ", not " : ", fewer than ")
                                            + rowsExpected)));
            if (warehouse.objectsFailed() > 0) {
                rows.add(new Row(
                        "archive objects",
                        warehouse.objectsFailed(),
                        0,
                        List.of(warehouse.objectsFailed() + " archive objects did not load")));
            }
        });
        return new OracleComparison(rows);
    }

    /**
     * The rejected records beside those a correct pipeline refuses: the producer those over
     * Kinesis' limit, the job the malformed ones. Each dead letter must name a record that was
     * sent and must be refused, by the stage that refuses it, with a reason, the record's length,
     * and the record or a prefix of it (marked truncated exactly when it is a prefix).
     *
     * @param rejected the run's dead letters as JSON, each with the stage that refused it ({@code rejectedBy})
     */
    public static Row rejected(List<String> rejected, Oracle.Result oracle, List<Emission> sent, Delivery delivery) {
        Map<String, Emission> refusable = new LinkedHashMap<>();
        for (Emission emission : sent) {
            if (emission.kind() == Emission.Kind.MALFORMED || emission.kind() == Emission.Kind.OVERSIZED) {
                refusable.put(DeadLetter.of(emission.data(), "").sha256(), emission);
            }
        }
        List<String> differences = new ArrayList<>();
        if (refusable.size() != oracle.malformed() + oracle.rejectedByProducer()) {
            differences.add("the oracle counts " + (oracle.malformed() + oracle.rejectedByProducer())
                    + " records to refuse, the simulation sent " + refusable.size());
        }
        List<String> digests = new ArrayList<>();
        for (String json : rejected) {
            JsonNode letter = read(json);
            String digest = letter.path("sha256").asText();
            digests.add(digest);
            Emission record = refusable.get(digest);
            if (record == null) {
                differences.add("refused, but not a record to refuse: " + json);
                continue;
            }
            String stage = record.kind() == Emission.Kind.OVERSIZED ? "producer" : "analytics";
            byte[] kept = letter.has("raw")
                    ? letter.path("raw").asText().getBytes(StandardCharsets.UTF_8)
                    : Base64.getDecoder().decode(letter.path("rawBase64").asText());
            // The record itself, or a prefix of it that is not empty.
            boolean prefix = letter.has("raw") != letter.has("rawBase64")
                    && (kept.length > 0 || record.data().length == 0)
                    && kept.length <= record.data().length
                    && Arrays.equals(kept, 0, kept.length, record.data(), 0, kept.length);
            if (letter.path("reason").asText().isBlank()
                    || letter.path("length").asInt() != record.data().length
                    || !letter.path("rejectedBy").asText().equals(stage)
                    || !prefix
                    || (kept.length == record.data().length)
                            == letter.path("truncated").asBoolean()) {
                differences.add("a dead letter that does not describe its record as refused by the " + stage
                        + ", with a reason, its length and the record or a marked prefix of it: " + json);
            }
        }
        if (delivery == Delivery.EXACTLY_ONCE) {
            // A digest that is not a record to refuse is named above already.
            Row once = sameItems(
                    "rejected records",
                    digests.stream().filter(refusable::containsKey).toList(),
                    new ArrayList<>(refusable.keySet()));
            differences.addAll(once.differences());
        } else {
            Set<String> missing = new HashSet<>(refusable.keySet());
            digests.forEach(missing::remove);
            missing.forEach(digest -> differences.add("missing: " + digest));
        }
        return new Row("rejected records", rejected.size(), refusable.size(), differences);
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean same() {
        return rows.stream().allMatch(Row::same);
    }

    /** Every difference, named with its output: empty when the outputs are exactly the oracle's. */
    public List<String> differences() {
        List<String> differences = new ArrayList<>();
        for (Row row : rows) {
            row.differences().forEach(difference -> differences.add(row.output() + ": " + difference));
        }
        return differences;
    }

    /** The items of both lists, counted: what the oracle has more of is missing, the rest unexpected. */
    private static <T> Row sameItems(String output, List<T> actual, List<T> expected) {
        Map<T, Integer> balance = new HashMap<>();
        expected.forEach(item -> balance.merge(item, 1, Integer::sum));
        actual.forEach(item -> balance.merge(item, -1, Integer::sum));
        List<String> differences = new ArrayList<>();
        balance.forEach((item, count) -> {
            for (int i = 0; i < Math.abs(count); i++) {
                differences.add((count > 0 ? "missing: " : "unexpected: ") + item);
            }
        });
        return new Row(output, actual.size(), expected.size(), differences);
    }

    private static JsonNode read(String deadLetter) {
        try {
            return JSON.readTree(deadLetter);
        } catch (IOException e) {
            throw new UncheckedIOException("a dead letter that is not JSON: " + deadLetter, e);
        }
    }

    private static List<String> monthTotals(Map<String, Map<YearMonth, Long>> totals) {
        List<String> rows = new ArrayList<>();
        totals.forEach(
                (customer, months) -> months.forEach((month, cents) -> rows.add(customer + " " + month + " " + cents)));
        return rows;
    }

    private static List<String> monthTotals(Oracle.Result oracle) {
        return oracle.monthlyTotals().stream()
                .map(total -> total.customerId() + " " + total.month() + " " + total.totalCents())
                .toList();
    }
}
