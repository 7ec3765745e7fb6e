package org.abctolls.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Union state that a former layout of an operator wrote and the current one no longer reads.
 * Restored, every task gets every task's entries; unless the operator clears them, it writes
 * them all again, and the state grows with each restore.
 */
// Flink's test harnesses are closed with try-with-resources although their close() may be interrupted.
@SuppressWarnings("try")
class FormerUnionStateTest {

    static Stream<Arguments> formerStates() {
        Supplier<AbstractStreamOperatorTestHarness<TollEvent>> deduplicate =
                () -> keyed(new FirstSightingOnly(Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofMinutes(1)));
        Supplier<AbstractStreamOperatorTestHarness<TollEvent>> route =
                () -> unkeyed(new LatenessRouter(Duration.ofHours(24)));
        return Stream.of(
                Arguments.of("latest-re-send", deduplicate),
                Arguments.of("highest-station-watermark", route),
                Arguments.of("latest-passage", route));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formerStates")
    void isClearedWhenRestoredSoThatItDoesNotGrowWithEachRestore(
            String state, Supplier<AbstractStreamOperatorTestHarness<TollEvent>> operator) throws Exception {
        OperatorSubtaskState former =
                AbstractStreamOperatorTestHarness.repackageState(formerLayout(state, 1L), formerLayout(state, 2L));

        OperatorSubtaskState restoredOnce;
        try (AbstractStreamOperatorTestHarness<TollEvent> restored = operator.get()) {
            restored.initializeState(former);
            restored.open();
            restoredOnce = restored.snapshot(1, 1);
        }

        assertThat(entries(state, restoredOnce)).isEmpty();
    }

    private static OperatorSubtaskState formerLayout(String state, long entry) throws Exception {
        try (var harness = new OneInputStreamOperatorTestHarness<>(new FormerLayout(state, List.of(entry)))) {
            harness.open();
            return harness.snapshot(1, 1);
        }
    }

    private static List<Long> entries(String state, OperatorSubtaskState snapshot) throws Exception {
        FormerLayout reader = new FormerLayout(state, null);
        try (var harness = new OneInputStreamOperatorTestHarness<>(reader)) {
            harness.initializeState(snapshot);
            harness.open();
            return reader.restored;
        }
    }

    private static AbstractStreamOperatorTestHarness<TollEvent> keyed(FirstSightingOnly operator) {
        try {
            return new KeyedOneInputStreamOperatorTestHarness<>(operator, TollEvent::eventId, Types.STRING);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AbstractStreamOperatorTestHarness<TollEvent> unkeyed(LatenessRouter operator) {
        try {
            return new OneInputStreamOperatorTestHarness<>(operator);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator that keeps one union list, as a former layout did; given entries, it writes them. */
    private static final class FormerLayout extends AbstractStreamOperator<Long>
            implements OneInputStreamOperator<Long, Long> {
        private static final long serialVersionUID = 1L;

        private final String state;
        private final List<Long> written;
        private final List<Long> restored = new ArrayList<>();

        FormerLayout(String state, List<Long> written) {
            this.state = state;
            this.written = written;
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            ListState<Long> list =
                    context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(state, Long.class));
            list.get().forEach(restored::add);
            if (written != null) {
                list.update(written);
            }
        }

        @Override
        public void processElement(StreamRecord<Long> element) {}
    }
}
