package org.abctolls.analytics;

import java.time.Duration;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Sends each distinct passage on to its billing window if it is still in time for it, judged
 * the way Flink's window operators judge lateness, but against a watermark that survives a
 * restore. The station windows judge their own lateness in their task ({@link StationLateness}).
 *
 * <p>Flink does not keep watermarks in checkpoints: a restored job starts again from no
 * watermark, and until replayed records have raised it, a window operator would re-create a
 * window it had already closed and purged, and fire it again with only the passages that
 * arrive now, which would charge a passage twice (once billed alone as a late passage, once
 * again in the re-created window). So this operator keeps the highest watermark it has seen in
 * its checkpointed state and, after a restore, judges against whichever is higher: that or the
 * watermark now. Its watermark may differ from the billing windows' (they take the lowest of all
 * the deduplicating tasks', and one may be idle): a passage it sends on that its window has
 * closed for good is billed alone by the window instead ({@link CustomerTotals}), and one it
 * sends to be billed alone would have been taken by its window; billed once either way.
 *
 * <ul>
 *   <li>Main output: passages for the billing windows.
 *   <li>{@link #CLOSED_FOR_BILLING}: a passage whose billing window has closed for good (later
 *       than {@code billingLateness}), billed alone instead.
 * </ul>
 */
final class LatenessRouter extends AbstractStreamOperator<TollEvent>
        implements OneInputStreamOperator<TollEvent, TollEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<TollEvent> CLOSED_FOR_BILLING =
            new OutputTag<>("closed-for-billing", TollEventTypeInfo.INSTANCE);

    private static final long BILLING_MILLIS = TumblingWindow.BILLING.toMillis();

    private final long billingLatenessMillis;
    private transient ListState<Long> savedWatermarks;
    private transient ListState<Long> savedBillingClosedThrough;
    private transient ListState<Long> savedWatermarksOfActiveTasks;
    private transient ListState<Long> savedBillingClosedThroughOfActiveTasks;
    /** This task's input is idle: its deduplicating task had no passage for a while, and hands on no watermark. */
    private transient boolean idle;

    private transient long watermark;
    /**
     * The last instant of the latest billing window closed for good, under the lateness in force
     * when it closed. A job restored with a longer lateness no longer holds the windows its
     * predecessor closed and dropped under the shorter one, and must not open them again: a
     * passage for one would open it afresh with that passage alone, which the ledger, holding a
     * fuller version, would ignore (the toll never billed), or, after a second, apply as a smaller
     * total. A shorter lateness closes windows sooner, which this never delays.
     */
    private transient long billingClosedThrough;

    LatenessRouter(Duration billingLateness) {
        this.billingLatenessMillis = billingLateness.toMillis();
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /**
     * Every task of the previous run left its watermarks; after a restore (or a rescale, where
     * each task gets them all) the lowest is the one every one of them had passed. A task that was
     * idle at the snapshot had stopped following the watermark, which the billing windows went on
     * taking from the others and dropped windows by: the lowest of the tasks that were active
     * is taken then, so that no window they dropped is opened again (a passage for it alone, a
     * version the ledger would ignore); the lowest of all when every task was idle.
     */
    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        savedWatermarks = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("highest-watermark", Long.class));
        savedBillingClosedThrough = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("billing-closed-through", Long.class));
        savedWatermarksOfActiveTasks = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("highest-watermark-of-active-tasks", Long.class));
        savedBillingClosedThroughOfActiveTasks = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("billing-closed-through-of-active-tasks", Long.class));
        // Former layouts' union state, now kept elsewhere (the station windows' watermark by
        // StationLateness, the latest passage by FirstSightingOnly): restored from a former
        // snapshot, every task would get all its entries and write them again, more at each restore.
        for (String former : List.of("highest-station-watermark", "latest-passage")) {
            context.getOperatorStateStore()
                    .getUnionListState(new ListStateDescriptor<>(former, Long.class))
                    .clear();
        }
        watermark = UnionStates.lowest(
                savedWatermarksOfActiveTasks.get().iterator().hasNext()
                        ? savedWatermarksOfActiveTasks
                        : savedWatermarks);
        billingClosedThrough = UnionStates.lowest(
                savedBillingClosedThroughOfActiveTasks.get().iterator().hasNext()
                        ? savedBillingClosedThroughOfActiveTasks
                        : savedBillingClosedThrough);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        savedWatermarks.update(List.of(watermark));
        savedBillingClosedThrough.update(List.of(billingClosedThrough));
        savedWatermarksOfActiveTasks.update(idle ? List.of() : List.of(watermark));
        savedBillingClosedThroughOfActiveTasks.update(idle ? List.of() : List.of(billingClosedThrough));
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    /** The end of an input (a drained stop) closes every billing window for good: a passage for one is billed alone. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (watermark >= Long.MIN_VALUE + billingLatenessMillis) {
            billingClosedThrough = Math.max(billingClosedThrough, watermark - billingLatenessMillis);
        }
        super.processWatermark(mark);
    }

    @Override
    public void processElement(StreamRecord<TollEvent> record) {
        long lastBillingMillis = TumblingWindow.startMillis(record.getTimestamp(), BILLING_MILLIS) + BILLING_MILLIS - 1;
        if (lastBillingMillis + billingLatenessMillis <= watermark || lastBillingMillis <= billingClosedThrough) {
            output.collect(CLOSED_FOR_BILLING, record);
        } else {
            output.collect(record);
        }
    }
}
