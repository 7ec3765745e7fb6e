package org.abctolls.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by customer: the 10-minute billing windows, with the semantics of Flink's tumbling
 * event-time window, {@code EventTimeTrigger}, an allowed lateness and a late side output.
 *
 * <ul>
 *   <li>A window fires when the watermark reaches its last millisecond, as revision 0.
 *   <li>Every passage for a fired window within the lateness fires it again with its whole
 *       new total and the next revision, so a consumer that applies the newest revision bills
 *       each passage once.
 *   <li>A passage for a window closed longer than the lateness goes to {@link
 *       LatenessRouter#CLOSED_FOR_BILLING}.
 * </ul>
 *
 * <p>Why not Flink's window operator: for a lateness of a day it keeps two state entries and two
 * timers per (customer, window), one to fire it and one to drop it a day later, and a
 * customer passes a toll a few times a day, so nearly every passage opens a window of its own.
 * The timer queue then held about two timers per passage of the last day, and keeping it
 * ordered was 40% of the topology's time ({@code bench/analytics-throughput.sh}). Here a
 * customer's windows and cleanup time are one array of longs, one timer fires each window, and
 * a cleanup timer per customer drops every window whose lateness has passed. Whether a passage is too late is
 * judged against the watermark, never by whether its window is still kept, so when the
 * cleanup runs does not change what is emitted. Every part of it (windows, firing and cleanup
 * timers) is in the checkpointed keyed state. One difference that nothing downstream reads:
 * a window fired again by a late passage is emitted with the passage's timestamp, not the
 * window's last millisecond.
 */
final class CustomerTotals extends KeyedProcessFunction<String, TollEvent, CustomerWindowTotal>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private static final long WINDOW_MILLIS = TumblingWindow.BILLING.toMillis();

    /*
     * A customer's state is one array: the cleanup time, then one group per kept window, in the
     * order the windows opened. One lookup reads or writes all of it, and a passage costs no boxed
     * key or map entry: a customer keeps a few windows at a time (a day's lateness of passages
     * a few hours apart), so copying the array on a new window is cheaper than a map.
     */
    private static final int CLEANUP_AT = 0;
    private static final int FIRST_WINDOW = 1;
    private static final int GROUP = 4;
    private static final int START = 0;
    private static final int CENTS = 1;
    private static final int PASSAGES = 2;
    private static final int FIRINGS = 3;

    private final long latenessMillis;
    /**
     * A cleanup walks all of a customer's windows to drop those closed by then, so it runs once
     * per quarter of the lateness (at least once per window): about five windows walked per
     * window dropped, and windows kept at most a quarter of the lateness longer than they must
     * be. Always a whole number of windows, so that a cleanup time (a multiple of it) is never
     * a window's last millisecond, whatever lateness a restored job runs with.
     */
    private final long cleanupRoundingMillis;
    /** {cleanup time, then per window: start, cents, passages, firings so far}. */
    private transient ValueState<long[]> windows;

    private transient ListState<Long> savedWatermarks;
    /**
     * The highest watermark this task has seen, kept across restores: a restored job starts again
     * from no watermark, and a passage for a window its cleanups dropped must still be judged
     * closed for good, not open the window again alone (a version the ledger, holding a fuller
     * one, would ignore: that toll never billed).
     */
    private transient long highestWatermark;

    CustomerTotals(Duration lateness) {
        this.latenessMillis = lateness.toMillis();
        this.cleanupRoundingMillis = Math.max(1, latenessMillis / 4 / WINDOW_MILLIS) * WINDOW_MILLIS;
    }

    @Override
    public void open(OpenContext context) {
        windows = getRuntimeContext()
                .getState(new ValueStateDescriptor<>(
                        "windows-and-cleanup", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    /**
     * After a restore, the highest watermark any task had: every task had seen the same one at
     * the (aligned) snapshot, those that saw no record or timer for a while a lower one, and
     * windows were dropped only by a watermark some task saw.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        savedWatermarks = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("highest-watermark", Long.class));
        highestWatermark = UnionStates.highest(savedWatermarks);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        savedWatermarks.update(List.of(highestWatermark));
    }

    @Override
    public void processElement(TollEvent passage, Context context, Collector<CustomerWindowTotal> out)
            throws Exception {
        long start = TumblingWindow.startMillis(context.timestamp(), WINDOW_MILLIS);
        long lastMillis = lastMillis(start);
        long watermark = context.timerService().currentWatermark();
        highestWatermark = Math.max(highestWatermark, watermark);
        if (closesAt(start) <= highestWatermark) {
            context.output(LatenessRouter.CLOSED_FOR_BILLING, passage);
            return;
        }
        long[] kept = windows.value();
        int window = kept == null ? -1 : indexOf(kept, start);
        if (window < 0) {
            kept = withWindow(kept, start);
            window = kept.length - GROUP;
            scheduleCleanup(kept, closesAt(start), context.timerService());
        }
        kept[window + CENTS] += passage.amountCents();
        kept[window + PASSAGES]++;
        if (lastMillis <= watermark) {
            emit(context.getCurrentKey(), kept, window, out);
        } else {
            // Also for a window that fired before a restore: a restored job starts again from no
            // watermark, and the window fires again once the watermark passes its end.
            context.timerService().registerEventTimeTimer(lastMillis);
        }
        windows.update(kept);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<CustomerWindowTotal> out) throws Exception {
        highestWatermark = Math.max(highestWatermark, context.timerService().currentWatermark());
        long[] kept = windows.value();
        if (kept == null) {
            return;
        }
        long start = timestamp + 1 - WINDOW_MILLIS;
        int window = Math.floorMod(start, WINDOW_MILLIS) == 0 ? indexOf(kept, start) : -1;
        if (window >= 0) {
            emit(context.getCurrentKey(), kept, window, out);
        }
        if (Math.floorMod(timestamp, WINDOW_MILLIS) == 0 && timestamp == kept[CLEANUP_AT]) {
            // Judged at the timer's time, not the watermark's: at the end of the input the
            // watermark jumps to the end of time, and windows whose firing timers come later
            // must still fire before they are dropped.
            kept = withoutWindowsClosedBy(kept, timestamp);
            if (kept == null) {
                windows.clear();
                return;
            }
            scheduleCleanup(kept, earliestClose(kept), context.timerService());
        }
        windows.update(kept);
    }

    /** The index of the window's group, or -1 if it is not kept; recent windows are searched first. */
    private static int indexOf(long[] kept, long start) {
        for (int window = kept.length - GROUP; window >= FIRST_WINDOW; window -= GROUP) {
            if (kept[window + START] == start) {
                return window;
            }
        }
        return -1;
    }

    /** A copy with an empty window added ({@code kept} may be null: no windows yet). */
    private static long[] withWindow(long[] kept, long start) {
        long[] added;
        if (kept == null) {
            added = new long[FIRST_WINDOW + GROUP];
            added[CLEANUP_AT] = Long.MIN_VALUE;
        } else {
            added = Arrays.copyOf(kept, kept.length + GROUP);
        }
        added[added.length - GROUP + START] = start;
        return added;
    }

    /** The windows whose lateness has not passed by {@code time}, or null if none. */
    private long[] withoutWindowsClosedBy(long[] kept, long time) {
        long[] remaining = new long[kept.length];
        remaining[CLEANUP_AT] = Long.MIN_VALUE;
        int length = FIRST_WINDOW;
        for (int window = FIRST_WINDOW; window < kept.length; window += GROUP) {
            if (closesAt(kept[window + START]) > time) {
                System.arraycopy(kept, window, remaining, length, GROUP);
                length += GROUP;
            }
        }
        return length == FIRST_WINDOW ? null : Arrays.copyOf(remaining, length);
    }

    private long earliestClose(long[] kept) {
        long earliest = Long.MAX_VALUE;
        for (int window = FIRST_WINDOW; window < kept.length; window += GROUP) {
            earliest = Math.min(earliest, closesAt(kept[window + START]));
        }
        return earliest;
    }

    /**
     * The customer's cleanup timer, at the first rounded time by which a kept window has closed.
     * A later one scheduled before stays behind and, no longer the customer's, does nothing.
     */
    private void scheduleCleanup(long[] kept, long closesAt, TimerService timers) {
        long at = Math.floorDiv(closesAt, cleanupRoundingMillis) * cleanupRoundingMillis + cleanupRoundingMillis;
        if (kept[CLEANUP_AT] == Long.MIN_VALUE || at < kept[CLEANUP_AT]) {
            timers.registerEventTimeTimer(at);
            kept[CLEANUP_AT] = at;
        }
    }

    private static void emit(String customerId, long[] kept, int window, Collector<CustomerWindowTotal> out) {
        long start = kept[window + START];
        out.collect(new CustomerWindowTotal(
                customerId,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + WINDOW_MILLIS),
                kept[window + CENTS],
                kept[window + PASSAGES],
                Math.toIntExact(kept[window + FIRINGS])));
        kept[window + FIRINGS]++;
    }

    /** When the window's lateness has passed: a passage for it is then billed alone. */
    private long closesAt(long start) {
        return lastMillis(start) + latenessMillis;
    }

    /** The window's last instant: it closes when the watermark reaches it. */
    private static long lastMillis(long start) {
        return start + WINDOW_MILLIS - 1;
    }
}
