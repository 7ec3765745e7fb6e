package org.abctolls.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import org.abctolls.domain.CustomerWindowTotal;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
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
 * customer's windows are one map, one timer fires each window, and a cleanup timer per
 * customer drops every window whose lateness has passed. Whether a passage is too late is
 * judged against the watermark, never by whether its window is still kept, so when the
 * cleanup runs does not change what is emitted. Every part of it (windows, firing and cleanup
 * timers) is in the checkpointed keyed state. One difference that nothing downstream reads:
 * a window fired again by a late passage is emitted with the passage's timestamp, not the
 * window's last millisecond.
 */
final class CustomerTotals extends KeyedProcessFunction<String, TollEvent, CustomerWindowTotal> {
    private static final long serialVersionUID = 1L;

    private static final long WINDOW_MILLIS = TumblingWindow.BILLING.toMillis();
    private static final int CENTS = 0;
    private static final int PASSAGES = 1;
    private static final int FIRINGS = 2;

    private final long latenessMillis;
    /**
     * A cleanup walks all of a customer's windows to drop those closed by then, so it runs once
     * per quarter of the lateness (at least once per window): about five windows walked per
     * window dropped, and windows kept at most a quarter of the lateness longer than they must
     * be. Always a whole number of windows, so that a cleanup time (a multiple of it) is never
     * a window's last millisecond, whatever lateness a restored job runs with.
     */
    private final long cleanupRoundingMillis;
    /** Window start → {cents, passages, firings so far}. */
    private transient MapState<Long, long[]> windows;

    private transient ValueState<Long> cleanupAt;

    CustomerTotals(Duration lateness) {
        this.latenessMillis = lateness.toMillis();
        this.cleanupRoundingMillis = Math.max(1, latenessMillis / 4 / WINDOW_MILLIS) * WINDOW_MILLIS;
    }

    @Override
    public void open(OpenContext context) {
        windows = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "windows", Types.LONG, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
    }

    @Override
    public void processElement(TollEvent passage, Context context, Collector<CustomerWindowTotal> out)
            throws Exception {
        long start = TumblingWindow.startMillis(context.timestamp(), WINDOW_MILLIS);
        long lastMillis = lastMillis(start);
        long watermark = context.timerService().currentWatermark();
        if (lastMillis + latenessMillis <= watermark) {
            context.output(LatenessRouter.CLOSED_FOR_BILLING, passage);
            return;
        }
        long[] window = windows.get(start);
        if (window == null) {
            window = new long[3];
            scheduleCleanup(lastMillis + latenessMillis, context.timerService());
        }
        window[CENTS] += passage.amountCents();
        window[PASSAGES]++;
        if (lastMillis <= watermark) {
            emit(context.getCurrentKey(), start, window, out);
        } else {
            // Also for a window that fired before a restore: a restored job starts again from no
            // watermark, and the window fires again once the watermark passes its end.
            context.timerService().registerEventTimeTimer(lastMillis);
        }
        windows.put(start, window);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<CustomerWindowTotal> out) throws Exception {
        long start = timestamp + 1 - WINDOW_MILLIS;
        long[] window = Math.floorMod(start, WINDOW_MILLIS) == 0 ? windows.get(start) : null;
        if (window != null) {
            emit(context.getCurrentKey(), start, window, out);
            windows.put(start, window);
        }
        if (Math.floorMod(timestamp, WINDOW_MILLIS) == 0
                && Long.valueOf(timestamp).equals(cleanupAt.value())) {
            cleanupAt.clear();
            // Judged at the timer's time, not the watermark's: at the end of the input the
            // watermark jumps to the end of time, and windows whose firing timers come later
            // must still fire before they are dropped.
            dropWindowsClosedBy(timestamp, context.timerService());
        }
    }

    private void dropWindowsClosedBy(long time, TimerService timers) throws Exception {
        long earliestRemaining = Long.MAX_VALUE;
        for (Iterator<Map.Entry<Long, long[]>> it = windows.iterator(); it.hasNext(); ) {
            long closesAt = lastMillis(it.next().getKey()) + latenessMillis;
            if (closesAt <= time) {
                it.remove();
            } else {
                earliestRemaining = Math.min(earliestRemaining, closesAt);
            }
        }
        if (earliestRemaining == Long.MAX_VALUE) {
            // Removing the last entry leaves an empty map behind for the customer.
            windows.clear();
        } else {
            scheduleCleanup(earliestRemaining, timers);
        }
    }

    /**
     * The cleanup timer of the customer, at the first rounded time by which a kept window has
     * closed. A later one scheduled before stays behind and, no longer the customer's, does nothing.
     */
    private void scheduleCleanup(long closesAt, TimerService timers) throws Exception {
        long at = Math.floorDiv(closesAt, cleanupRoundingMillis) * cleanupRoundingMillis + cleanupRoundingMillis;
        Long scheduled = cleanupAt.value();
        if (scheduled == null || at < scheduled) {
            timers.registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
    }

    private static void emit(String customerId, long start, long[] window, Collector<CustomerWindowTotal> out) {
        out.collect(new CustomerWindowTotal(
                customerId,
                Instant.ofEpochMilli(start),
                Instant.ofEpochMilli(start + WINDOW_MILLIS),
                window[CENTS],
                window[PASSAGES],
                Math.toIntExact(window[FIRINGS])));
        window[FIRINGS]++;
    }

    /** The window's last instant: it closes when the watermark reaches it. */
    private static long lastMillis(long start) {
        return start + WINDOW_MILLIS - 1;
    }
}
