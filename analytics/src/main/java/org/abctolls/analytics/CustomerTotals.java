package org.abctolls.analytics;

import java.time.Instant;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** A customer's tolls in one billing window: a running sum and count, emitted with a revision per firing. */
final class CustomerTotals {

    private CustomerTotals() {}

    /** Sum of cents and count of passages; {@code long[]{cents, passages}} keeps Flink's serializer simple. */
    static final class SumAndCount implements AggregateFunction<TollEvent, long[], long[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public long[] createAccumulator() {
            return new long[2];
        }

        @Override
        public long[] add(TollEvent event, long[] accumulator) {
            accumulator[0] += event.amountCents();
            accumulator[1]++;
            return accumulator;
        }

        @Override
        public long[] getResult(long[] accumulator) {
            return accumulator;
        }

        @Override
        public long[] merge(long[] a, long[] b) {
            return new long[] {a[0] + b[0], a[1] + b[1]};
        }
    }

    /**
     * The first firing (the watermark passing the window's end) is revision 0; every late
     * passage within the allowed lateness fires the window again with its whole new total and
     * the next revision, so a consumer that applies the newest revision bills each passage once.
     */
    static final class WithRevision extends ProcessWindowFunction<long[], CustomerWindowTotal, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        private static final ValueStateDescriptor<Integer> FIRINGS =
                new ValueStateDescriptor<>("firings", Integer.class);

        @Override
        public void process(
                String customerId, Context context, Iterable<long[]> sums, Collector<CustomerWindowTotal> out)
                throws Exception {
            long[] sum = sums.iterator().next();
            ValueState<Integer> firings = context.windowState().getState(FIRINGS);
            int revision = firings.value() == null ? 0 : firings.value();
            firings.update(revision + 1);
            out.collect(new CustomerWindowTotal(
                    customerId,
                    Instant.ofEpochMilli(context.window().getStart()),
                    Instant.ofEpochMilli(context.window().getEnd()),
                    sum[0],
                    sum[1],
                    revision));
        }

        @Override
        public void clear(Context context) {
            context.windowState().getState(FIRINGS).clear();
        }
    }
}
