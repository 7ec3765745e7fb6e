package org.abctolls.analytics;

import org.apache.flink.api.common.state.ListState;

/**
 * Reading back a value that every task of the previous run kept in union list state: after a
 * restore or a rescale each task gets every task's value.
 */
final class UnionStates {

    private UnionStates() {}

    /** The lowest value any task kept (the one every task had passed), or {@link Long#MIN_VALUE} if none. */
    static long lowest(ListState<Long> kept) throws Exception {
        long lowest = Long.MAX_VALUE;
        boolean any = false;
        for (Long value : kept.get()) {
            lowest = Math.min(lowest, value);
            any = true;
        }
        return any ? lowest : Long.MIN_VALUE;
    }

    /** The highest value any task kept, or {@link Long#MIN_VALUE} if none. */
    static long highest(ListState<Long> kept) throws Exception {
        long highest = Long.MIN_VALUE;
        for (Long value : kept.get()) {
            highest = Math.max(highest, value);
        }
        return highest;
    }
}
