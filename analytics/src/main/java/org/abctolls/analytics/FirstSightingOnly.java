package org.abctolls.analytics;

import java.time.Duration;
import java.util.List;
import org.abctolls.domain.TollEvent;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Keyed by event id: passes a passage the first time it is seen and drops re-sends within the
 * TTL, and hands on a watermark that trails the passages this task has seen, never a re-send.
 *
 * <p>Watermarks are made where records are read, before re-sends are known, so a re-sent
 * {@code eventId} stamped later than every passage raises them; the contract's watermark trails
 * the largest event time of the passages, and a re-send is not one. So each task hands on the
 * input's watermark held to its own latest passage less the bound, raised as each of its
 * passages raises it. Every operator downstream takes the lowest watermark of these tasks. At
 * parallelism 1 this is exactly the watermark of the passages. With several tasks, each knows
 * only its share of the passages, so windows may close later than the passages' watermark
 * would close them (once every task has seen a passage the bound past their end), never
 * earlier: while the tasks are active, a passage is never judged against a watermark that a
 * passage read after it, or a re-send, has raised. Holding only in the task that drops a
 * re-send would not do: the other tasks would hand on the raised watermark, and a passage of
 * theirs still on its way would be judged against it, or against the holding task's share of
 * the passages read after it.
 *
 * <p>A task that had no passage for the idle timeout (between one and two of them) while its
 * input's watermark moved on marks its output idle, as an idle shard's is, so that at low
 * traffic or in a quiet spell the windows close by the other tasks' passages instead of waiting
 * for its next one; that passage makes it active again. Only then can a passage meet a
 * watermark that the other tasks raised while it was idle, as a passage of a shard back from
 * idle can.
 *
 * <p>The latest passage is in its checkpoints; a restored task takes the lowest of all tasks'.
 * With aligned checkpoints (the job's), no passage is in flight at a checkpoint, so none read
 * before it is judged after the restore against the others' latest.
 */
final class FirstSightingOnly extends AbstractStreamOperator<TollEvent>
        implements OneInputStreamOperator<TollEvent, TollEvent> {
    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private final long watermarkBoundMillis;
    private final long idleTimeoutMillis;
    private transient ValueState<Boolean> seen;
    private transient ListState<Long> savedLatestPassages;
    private transient long latestPassage;
    private transient long inputWatermark;
    private transient long emittedWatermark;
    private transient boolean inputIdle;
    /** No passage came for the idle timeout: the output is idle, so that this task holds nothing back. */
    private transient boolean starved;

    private transient boolean outputIdle;
    private transient long passagesSinceLastLook;
    private transient long inputWatermarkAtLastLook;

    /**
     * @param idleTimeout after how long without a passage this task's output goes idle (the
     *     input's idle timeout: a task whose share of the event ids brought nothing for that
     *     long holds the windows back no more than an idle shard does)
     */
    FirstSightingOnly(Duration ttl, Duration watermarkBound, Duration idleTimeout) {
        this.ttl = ttl;
        this.watermarkBoundMillis = watermarkBound.toMillis();
        this.idleTimeoutMillis = Math.max(1, idleTimeout.toMillis());
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    /**
     * After a restore or a rescale, the lowest of the previous tasks' latest passages: a task
     * given a later one would hand on a watermark that tasks behind had not, and judge a passage
     * replayed after the snapshot later than the run before the crash did.
     */
    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        savedLatestPassages = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("latest-passage", Long.class));
        // A former layout's union state, no longer read: restored, every task would get all its
        // entries and write them again, more at each restore, unless cleared.
        context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("latest-re-send", Long.class))
                .clear();
        latestPassage = UnionStates.lowest(savedLatestPassages);
        inputWatermark = Long.MIN_VALUE;
        inputWatermarkAtLastLook = Long.MIN_VALUE;
        emittedWatermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        // On the heap backend each state access also checks ids for expiry, five by default; a
        // first sighting reads and writes the state, so checking one per access still drops an
        // expired id within about two thirds of a TTL at a steady rate, and the default's walk
        // cost more than the lookup. RocksDB ignores it and drops expired ids in compaction.
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(ttl).cleanupIncrementally(1, false).build());
        seen = getPartitionedState(descriptor);
        lookForPassagesAfter(getProcessingTimeService().getCurrentProcessingTime());
    }

    /**
     * Every idle timeout: a task that had no passage since the last look, while its input's
     * watermark moved on, goes idle. A task that is held up (backpressure, a stalled sink) sees
     * no watermark either, and stays active, so that passages waiting in its input are never
     * judged against a watermark that the other tasks raised meanwhile.
     */
    private void lookForPassagesAfter(long now) {
        getProcessingTimeService().registerTimer(now + idleTimeoutMillis, time -> {
            if (passagesSinceLastLook == 0 && inputWatermark > inputWatermarkAtLastLook && !starved) {
                starved = true;
                emitStatus();
            }
            passagesSinceLastLook = 0;
            inputWatermarkAtLastLook = inputWatermark;
            lookForPassagesAfter(getProcessingTimeService().getCurrentProcessingTime());
        });
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        savedLatestPassages.update(List.of(latestPassage));
    }

    @Override
    public void processElement(StreamRecord<TollEvent> record) throws Exception {
        long timestamp = record.getTimestamp();
        if (seen.value() != null) {
            return;
        }
        seen.update(true);
        output.collect(record);
        passagesSinceLastLook++;
        boolean raised = timestamp > latestPassage;
        boolean wasStarved = starved;
        if (raised) {
            latestPassage = timestamp;
        }
        if (wasStarved) {
            starved = false;
            emitStatus();
        }
        // Only a later passage or the output coming back can change what is handed on.
        if (raised || wasStarved) {
            handOnWatermark();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        inputWatermark = mark.getTimestamp();
        if (mark.equals(Watermark.MAX_WATERMARK)) {
            // The end of the input closes every window, also when no passage came for a while:
            // an idle output would drop it.
            starved = false;
            emitStatus();
            emittedWatermark = inputWatermark;
            super.processWatermark(mark);
        } else {
            handOnWatermark();
        }
    }

    /** An idle output drops watermarks: the one held back meanwhile goes out when the output is active again. */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        inputIdle = status.isIdle();
        emitStatus();
        handOnWatermark();
    }

    /** Idle while the input is idle or no passage came for the idle timeout; active otherwise. */
    private void emitStatus() {
        boolean idle = inputIdle || starved;
        if (idle != outputIdle) {
            outputIdle = idle;
            output.emitWatermarkStatus(idle ? WatermarkStatus.IDLE : WatermarkStatus.ACTIVE);
        }
    }

    /** The input's watermark, held to this task's latest passage less the bound, if higher than before. */
    private void handOnWatermark() throws Exception {
        long held = Math.min(inputWatermark, latestPassageLessBound());
        if (!outputIdle && held > emittedWatermark) {
            emittedWatermark = held;
            super.processWatermark(new Watermark(held));
        }
    }

    /** None before a passage: a snapshot of a former layout brings back ids seen, not the latest passage. */
    private long latestPassageLessBound() {
        return latestPassage == Long.MIN_VALUE ? Long.MIN_VALUE : latestPassage - watermarkBoundMillis - 1;
    }
}
