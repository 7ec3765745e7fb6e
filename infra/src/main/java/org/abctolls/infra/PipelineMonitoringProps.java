package org.abctolls.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.Queue;

/** What to watch. */
public record PipelineMonitoringProps(
        Stream input,
        Duration silenceAlarm,
        List<Stream> streams,
        List<Stream> deadLetterStreams,
        List<Function> functions,
        List<Function> streamConsumers,
        List<Function> scheduledFunctions,
        List<Queue> queues,
        Map<String, String> deliveryStreams,
        Map<String, String> redshiftDeliveryStreams,
        Map<String, String> transformingDeliveryStreams,
        String flinkApplicationName,
        ITopic alarmTopic,
        Map<String, IMetric> countsThatStayZero) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PipelineMonitoringProps}. */
    public static final class Builder {
        private Stream input;
        private Duration silenceAlarm = Duration.minutes(15);
        private List<Stream> streams = List.of();
        private List<Stream> deadLetterStreams = List.of();
        private List<Function> functions = List.of();
        private List<Function> streamConsumers = List.of();
        private List<Function> scheduledFunctions = List.of();
        private List<Queue> queues = List.of();
        private Map<String, String> deliveryStreams = Map.of();
        private Map<String, String> redshiftDeliveryStreams = Map.of();
        private Map<String, String> transformingDeliveryStreams = Map.of();
        private String flinkApplicationName;
        private ITopic alarmTopic;
        private Map<String, IMetric> countsThatStayZero = Map.of();

        /** The stream the pipeline reads: alarmed on when it receives nothing for {@code silenceAlarm}. */
        public Builder input(Stream value) {
            input = value;
            return this;
        }

        public Builder silenceAlarm(Duration value) {
            silenceAlarm = value;
            return this;
        }

        public Builder streams(List<Stream> value) {
            streams = List.copyOf(value);
            return this;
        }

        /** Streams of refused records: any arrival is an alarm. */
        public Builder deadLetterStreams(List<Stream> value) {
            deadLetterStreams = List.copyOf(value);
            return this;
        }

        public Builder functions(List<Function> value) {
            functions = List.copyOf(value);
            return this;
        }

        /**
         * Functions that an event source mapping invokes with a stream's records, each the only
         * function of its construct: alarmed on when the records they are given grow old.
         */
        public Builder streamConsumers(List<Function> value) {
            streamConsumers = List.copyOf(value);
            return this;
        }

        /** Functions that run rarely (a monthly password rotation): a single error is an alarm. */
        public Builder scheduledFunctions(List<Function> value) {
            scheduledFunctions = List.copyOf(value);
            return this;
        }

        public Builder queues(List<Queue> value) {
            queues = List.copyOf(value);
            return this;
        }

        /** Delivery streams by the name of their alarm, each alarmed on when its data grows stale. */
        public Builder deliveryStreams(Map<String, String> value) {
            deliveryStreams = Map.copyOf(value);
            return this;
        }

        /**
         * Delivery streams that COPY into Redshift, by the name of their alarm: alarmed on when
         * their COPYs keep failing, well before Firehose's retries run out and it skips the objects.
         */
        public Builder redshiftDeliveryStreams(Map<String, String> value) {
            redshiftDeliveryStreams = Map.copyOf(value);
            return this;
        }

        /**
         * Delivery streams that transform their records with a function, by the name of their
         * alarm: alarmed on when an invocation fails, since a batch that fails every retry goes to
         * the error prefix whole.
         */
        public Builder transformingDeliveryStreams(Map<String, String> value) {
            transformingDeliveryStreams = Map.copyOf(value);
            return this;
        }

        public Builder flinkApplicationName(String value) {
            flinkApplicationName = value;
            return this;
        }

        public Builder alarmTopic(ITopic value) {
            alarmTopic = value;
            return this;
        }

        /** Counts by the name of their alarm, any of which above zero in a minute is an alarm. */
        public Builder countsThatStayZero(Map<String, IMetric> value) {
            countsThatStayZero = Map.copyOf(value);
            return this;
        }

        public PipelineMonitoringProps build() {
            return new PipelineMonitoringProps(
                    input,
                    silenceAlarm,
                    streams,
                    deadLetterStreams,
                    functions,
                    streamConsumers,
                    scheduledFunctions,
                    queues,
                    deliveryStreams,
                    redshiftDeliveryStreams,
                    transformingDeliveryStreams,
                    flinkApplicationName,
                    alarmTopic,
                    countsThatStayZero);
        }
    }
}
