package org.abctolls.analytics;

import org.abctolls.domain.TollEvent;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid passages go on; rejected records go to the dead-letter side output with their reason. */
final class SplitRejected extends ProcessFunction<InputRecord, TollEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<InputRecord> REJECTED = new OutputTag<>("rejected") {};

    @Override
    public void processElement(InputRecord record, Context context, Collector<TollEvent> out) {
        if (record.isPassage()) {
            out.collect(record.passage());
        } else {
            context.output(REJECTED, record);
        }
    }
}
