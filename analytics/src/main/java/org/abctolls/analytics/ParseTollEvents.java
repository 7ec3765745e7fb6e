package org.abctolls.analytics;

import org.abctolls.domain.TollEvent;
import org.abctolls.domain.TollEventParseResult;
import org.abctolls.domain.TollJson;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Valid passages go on; malformed records go to the dead-letter side output with their reason. */
final class ParseTollEvents extends ProcessFunction<String, TollEvent> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    @Override
    public void processElement(String raw, Context context, Collector<TollEvent> out) {
        TollEventParseResult result = TollJson.parseTollEvent(raw);
        if (result instanceof TollEventParseResult.Valid valid) {
            out.collect(valid.event());
        } else if (result instanceof TollEventParseResult.Malformed malformed) {
            context.output(DEAD_LETTERS, TollJson.write(malformed));
        }
    }
}
