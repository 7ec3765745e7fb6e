package org.abctolls.analytics;

import java.time.Duration;
import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Keyed by event id: passes a passage the first time it is seen and drops re-sends within the TTL. */
final class FirstSightingOnly extends KeyedProcessFunction<String, TollEvent, TollEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private transient ValueState<Boolean> seen;

    FirstSightingOnly(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        // On the heap backend each state access also checks ids for expiry, five by default; a
        // first sighting reads and writes the state, so checking one per access still drops an
        // expired id within about two thirds of a TTL at a steady rate, and the default's walk
        // cost more than the lookup. RocksDB ignores it and drops expired ids in compaction.
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl).cleanupIncrementally(1, false).build());
        seen = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(TollEvent event, Context context, Collector<TollEvent> out) throws Exception {
        if (seen.value() == null) {
            seen.update(true);
            out.collect(event);
        }
    }
}
