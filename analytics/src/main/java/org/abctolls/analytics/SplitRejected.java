package org.abctolls.analytics;

import java.util.List;
import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Valid passages go on; rejected records go to the dead-letter side output with their reason.
 * Runs where the records are read, in the order they are read, so it also names the station
 * window of the first passage read ({@link #FIRST_PASSAGE_READ}).
 */
final class SplitRejected extends ProcessFunction<InputRecord, TollEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    static final OutputTag<InputRecord> REJECTED = new OutputTag<>("rejected") {};
    static final OutputTag<StationCount> FIRST_PASSAGE_READ = new OutputTag<>("first-passage-read") {};

    private static final long STATION_MILLIS = TumblingWindow.STATION.toMillis();

    /**
     * Kept in checkpoints, so that a restored reader does not name a window again: the evaluator
     * takes the earliest name it has before it evaluates, and a passage read after the restore
     * may be in an earlier window than the first one was.
     */
    private transient boolean passageRead;

    /**
     * Union state of the readers that have named a window, each as {its index, the parallelism}:
     * restored at the same parallelism, a reader knows whether it named one; after a rescale the
     * readers read other shards than before, so if any reader named one, none names another.
     * (With a state split among the readers, a reader added by a scale-up started empty and named
     * an earlier window of its shards, which the evaluator took as its start if it had not
     * evaluated yet.)
     */
    private transient ListState<int[]> readersThatNamedState;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        readersThatNamedState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>(
                        "readers-that-named-a-first-passage", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        int reader = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int readers = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        boolean anyNamed = false;
        boolean rescaled = false;
        for (int[] named : readersThatNamedState.get()) {
            anyNamed = true;
            rescaled |= named[1] != readers;
            passageRead |= named[0] == reader && named[1] == readers;
        }
        passageRead |= anyNamed && rescaled;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        readersThatNamedState.update(
                passageRead
                        ? List.of(new int[] {
                            getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                            getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()
                        })
                        : List.of());
    }

    @Override
    public void processElement(InputRecord record, Context context, Collector<TollEvent> out) {
        if (!record.isPassage()) {
            context.output(REJECTED, record);
            return;
        }
        if (!passageRead) {
            passageRead = true;
            context.output(
                    FIRST_PASSAGE_READ,
                    StationCount.firstPassageRead(TumblingWindow.startMillis(
                            record.passage().eventTime().toEpochMilli(), STATION_MILLIS)));
        }
        out.collect(record.passage());
    }
}
