package org.abctolls.analytics;

import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TumblingWindow;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Valid passages go on; rejected records go to the dead-letter side output with their reason.
 * Runs where the records are read, in the order they are read, so it also names the station
 * window of the first passage read ({@link #FIRST_PASSAGE_READ}).
 */
final class SplitRejected extends ProcessFunction<InputRecord, TollEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<InputRecord> REJECTED = new OutputTag<>("rejected") {};
    static final OutputTag<StationCount> FIRST_PASSAGE_READ = new OutputTag<>("first-passage-read") {};

    private static final long STATION_MILLIS = TumblingWindow.STATION.toMillis();

    /**
     * Not kept in checkpoints: after a restore the evaluator has its starting window already
     * and ignores another.
     */
    private transient boolean passageRead;

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
