package org.abctolls.localpipeline;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * The two gauges of the embedded job that the local pipeline watches, read live from Flink's
 * metric registry: the Kinesis consumer's {@code millisBehindLatest} per shard (0 when the
 * job has read everything on the stream) and the event-time watermark of the station windows.
 * Flink instantiates the reporter itself (configured by {@link #CONFIG_PREFIX}), so the
 * gauges are kept in a static registry; a restarted job replaces its predecessor's.
 */
public final class FlinkGauges implements MetricReporter {

    /** The configuration that installs this reporter on a MiniCluster. */
    public static final String CONFIG_PREFIX = "metrics.reporter.local-pipeline.";

    static final String MILLIS_BEHIND_LATEST = "millisBehindLatest";
    static final String WATERMARK = "currentInputWatermark";
    static final String WATERMARK_OPERATOR = "30-minute station counts";

    private static final Map<String, Gauge<?>> BEHIND_LATEST = new ConcurrentHashMap<>();
    private static final Map<String, Gauge<?>> WATERMARKS = new ConcurrentHashMap<>();

    /** How far the slowest shard's reader is behind the stream's tip; empty until the consumer reads. */
    public static OptionalLong millisBehindLatest() {
        return BEHIND_LATEST.values().stream()
                .mapToLong(gauge -> ((Number) gauge.getValue()).longValue())
                .max();
    }

    /** The event-time watermark of the station windows; empty before the job runs. */
    public static Optional<Instant> watermark() {
        OptionalLong lowest = WATERMARKS.values().stream()
                .mapToLong(gauge -> ((Number) gauge.getValue()).longValue())
                .min();
        // Before the first watermark a task reports Long.MIN_VALUE: shown as the epoch.
        return lowest.isPresent()
                ? Optional.of(Instant.ofEpochMilli(Math.max(0, lowest.getAsLong())))
                : Optional.empty();
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, Gauge<?>> watched = watched(name, group);
        if (watched != null && metric instanceof Gauge<?> gauge) {
            watched.put(group.getMetricIdentifier(name), gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, Gauge<?>> watched = watched(name, group);
        if (watched != null) {
            watched.remove(group.getMetricIdentifier(name), metric);
        }
    }

    private static Map<String, Gauge<?>> watched(String name, MetricGroup group) {
        if (name.equals(MILLIS_BEHIND_LATEST)) {
            return BEHIND_LATEST;
        }
        if (name.equals(WATERMARK)
                && WATERMARK_OPERATOR.equals(group.getAllVariables().get("<operator_name>"))) {
            return WATERMARKS;
        }
        return null;
    }

    /** Found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new FlinkGauges();
        }
    }
}
