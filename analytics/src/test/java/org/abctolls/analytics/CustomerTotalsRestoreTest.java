package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.VehicleClass;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The 10-minute customer window of the topology, restored from a checkpoint, with what it
 * emits applied as the billing function applies it. A restored job has no watermark until
 * records raise it, and with several shards it may read them in another order than before the
 * crash: a window can then fire afresh, its revisions numbered anew.
 */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class CustomerTotalsRestoreTest {

    private static final Instant WINDOW_START = Instant.parse("2026-11-18T14:00:00Z");
    private static final long WINDOW_CLOSED =
            Instant.parse("2026-11-18T14:10:00Z").toEpochMilli() - 1;

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> window()
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        OneInputTransformation<TollEvent, CustomerWindowTotal> transformation =
                (OneInputTransformation<TollEvent, CustomerWindowTotal>)
                        TollTopology.customerTotals(env.fromData(passage("x", 0)), JobConfig.DEFAULTS)
                                .getTransformation();
        OneInputStreamOperator<TollEvent, CustomerWindowTotal> operator = transformation.getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(operator, TollEvent::customerId, Types.STRING);
    }

    private static TollEvent passage(String eventId, int cents) {
        return new TollEvent(
                eventId, "S0001", 1, "T0000001", "C0000001", VehicleClass.CAR, cents, WINDOW_START.plusSeconds(60));
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, TollEvent, CustomerWindowTotal> window, TollEvent passage)
            throws Exception {
        window.processElement(new StreamRecord<>(passage, passage.eventTime().toEpochMilli()));
    }

    /**
     * Checkpoint, a late passage, a crash before the next checkpoint, a restore, a later late
     * passage: the later one must be billed although its revision number was applied before.
     */
    @Test
    void aLaterLatePassageAfterARestoreIsBilledThoughItsRevisionNumberWasAppliedBefore() throws Exception {
        List<CustomerWindowTotal> delivered = new ArrayList<>();
        OperatorSubtaskState checkpoint;
        try (var beforeTheCrash = window()) {
            beforeTheCrash.open();
            send(beforeTheCrash, passage("a", 100));
            checkpoint = beforeTheCrash.snapshot(1, 1);
            beforeTheCrash.processWatermark(new Watermark(WINDOW_CLOSED));
            send(beforeTheCrash, passage("b", 150));
            delivered.addAll(beforeTheCrash.extractOutputValues());
        }
        assertThat(delivered)
                .extracting(CustomerWindowTotal::revision, CustomerWindowTotal::totalCents)
                .containsExactly(tuple(0, 100L), tuple(1, 250L));

        try (var restored = window()) {
            restored.initializeState(checkpoint);
            restored.open();
            // Read before the watermark this time: both fire together, as revision 0.
            send(restored, passage("b", 150));
            restored.processWatermark(new Watermark(WINDOW_CLOSED));
            send(restored, passage("c", 75));
            delivered.addAll(restored.extractOutputValues());
        }

        assertThat(delivered.subList(2, 4))
                .extracting(CustomerWindowTotal::revision, CustomerWindowTotal::passages)
                .containsExactly(tuple(0, 2L), tuple(1, 3L));
        assertThat(InMemoryLedger.monthTotalsByCustomer(delivered)).isEqualTo(Map.of("C0000001", 325L));
    }

    /**
     * The window fired before the checkpoint; after the restore a late passage for it comes
     * before any watermark, so it is not late yet: the window must fire again once the
     * watermark passes its end, with its whole total.
     */
    @Test
    void aWindowThatFiredBeforeTheCheckpointFiresAgainAfterARestoreOnceTheWatermarkPassesItsEnd() throws Exception {
        List<CustomerWindowTotal> delivered = new ArrayList<>();
        OperatorSubtaskState checkpoint;
        try (var beforeTheCrash = window()) {
            beforeTheCrash.open();
            send(beforeTheCrash, passage("a", 100));
            beforeTheCrash.processWatermark(new Watermark(WINDOW_CLOSED));
            checkpoint = beforeTheCrash.snapshot(1, 1);
            delivered.addAll(beforeTheCrash.extractOutputValues());
        }

        try (var restored = window()) {
            restored.initializeState(checkpoint);
            restored.open();
            send(restored, passage("b", 150));
            assertThat(restored.extractOutputValues()).isEmpty();
            restored.processWatermark(new Watermark(WINDOW_CLOSED));
            delivered.addAll(restored.extractOutputValues());
        }

        assertThat(delivered)
                .extracting(CustomerWindowTotal::revision, CustomerWindowTotal::totalCents)
                .containsExactly(tuple(0, 100L), tuple(1, 250L));
        assertThat(InMemoryLedger.monthTotalsByCustomer(delivered)).isEqualTo(Map.of("C0000001", 250L));
    }
}
