package org.abctolls.analytics;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Distinct passages (duplicates are already gone) per station and station window, from the partial counts of the tasks that routed them. */
final class StationCounts {

    /** Partial counts later than their window: none while the invariant of {@link StationPartialCounts} holds. */
    static final OutputTag<StationCount> LATE =
            new OutputTag<>("late-station-counts", TypeInformation.of(StationCount.class));

    private StationCounts() {}

    static final class Sum implements AggregateFunction<StationCount, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(StationCount partial, Long count) {
            return count + partial.vehicles();
        }

        @Override
        public Long getResult(Long count) {
            return count;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    static final class Labelled extends ProcessWindowFunction<Long, StationCount, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String stationId, Context context, Iterable<Long> counts, Collector<StationCount> out) {
            out.collect(new StationCount(
                    stationId, context.window().getStart(), counts.iterator().next()));
        }
    }
}
