package org.abctolls.functions;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Names an invocation in every log line written while it runs: its request id, as ECS's
 * {@code faas.execution} (the functions log ECS fields; Powertools' logger adds the same id as
 * {@code function_request_id}), so that one invocation's lines can be gathered in CloudWatch
 * Logs Insights.
 */
final class InvocationLog {

    static final String REQUEST_ID = "faas.execution";

    private InvocationLog() {}

    /** Runs the invocation with its request id in the logging context; without a context, as it is. */
    static <T> T around(Context context, Supplier<T> invocation) {
        if (context == null || context.getAwsRequestId() == null) {
            return invocation.get();
        }
        MDC.put(REQUEST_ID, context.getAwsRequestId());
        try {
            return invocation.get();
        } finally {
            MDC.remove(REQUEST_ID);
        }
    }
}
