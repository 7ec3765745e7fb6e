package org.abctolls.functions;

import java.util.Map;
import java.util.function.Supplier;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch embedded-metric-format document per invocation: the counts of what the
 * batch did, under namespace {@value #NAMESPACE} and dimension {@code Function}. Lambda's
 * log pipeline turns the document, written to standard output, into metrics.
 */
public class FunctionMetrics {
    public static final String NAMESPACE = "ABCTolls";

    private final String function;
    private final Supplier<MetricsLogger> loggers;

    public FunctionMetrics(String function) {
        this(function, () -> new MetricsLogger(new LambdaEnvironment()));
    }

    FunctionMetrics(String function, Supplier<MetricsLogger> loggers) {
        this.function = function;
        this.loggers = loggers;
    }

    public void publish(Map<String, Integer> counts) {
        MetricsLogger metrics = loggers.get();
        metrics.setNamespace(NAMESPACE);
        metrics.setDimensions(DimensionSet.of("Function", function));
        counts.forEach((name, count) -> metrics.putMetric(name, count, Unit.COUNT));
        metrics.flush();
    }
}
