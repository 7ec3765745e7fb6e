package org.abctolls.analytics;

import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Distinct passages (duplicates are already gone) per station and station window. */
final class StationCounts {

    private StationCounts() {}

    static final class Count implements AggregateFunction<TollEvent, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(TollEvent event, Long count) {
            return count + 1;
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
