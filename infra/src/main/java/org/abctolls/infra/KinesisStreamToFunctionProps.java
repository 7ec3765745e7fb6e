package org.abctolls.infra;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.sqs.IQueue;

/**
 * The inputs of {@link KinesisStreamToFunction}.
 *
 * @param code the jar that holds {@code handler}
 * @param function applied to the function's builder after the construct's settings: it
 *     may change any of them
 * @param eventSource applied to the event source's builder after the construct's settings
 */
public record KinesisStreamToFunctionProps(
        IStream stream,
        Code code,
        String handler,
        String description,
        Map<String, String> environment,
        IQueue onFailure,
        boolean retryUntilRecordsExpire,
        UnaryOperator<Function.Builder> function,
        UnaryOperator<KinesisEventSource.Builder> eventSource) {
    public KinesisStreamToFunctionProps {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(handler, "handler");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(eventSource, "eventSource");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KinesisStreamToFunctionProps}. */
    public static final class Builder {
        private IStream stream;
        private Code code;
        private String handler;
        private String description = "";
        private Map<String, String> environment = Map.of();
        private IQueue onFailure;
        private boolean retryUntilRecordsExpire;
        private UnaryOperator<Function.Builder> function = UnaryOperator.identity();
        private UnaryOperator<KinesisEventSource.Builder> eventSource = UnaryOperator.identity();

        public Builder stream(IStream value) {
            stream = value;
            return this;
        }

        public Builder code(Code value) {
            code = value;
            return this;
        }

        public Builder handler(String value) {
            handler = value;
            return this;
        }

        public Builder description(String value) {
            description = value;
            return this;
        }

        public Builder environment(Map<String, String> value) {
            environment = value;
            return this;
        }

        public Builder onFailure(IQueue value) {
            onFailure = value;
            return this;
        }

        /** Retry a failing batch until its records leave the stream, instead of giving up on it. */
        public Builder retryUntilRecordsExpire(boolean value) {
            retryUntilRecordsExpire = value;
            return this;
        }

        /** Changes to the function, e.g. {@code function -> function.memorySize(2048)}. */
        public Builder function(UnaryOperator<Function.Builder> value) {
            function = value;
            return this;
        }

        /** Changes to the event source, e.g. {@code source -> source.batchSize(500)}. */
        public Builder eventSource(UnaryOperator<KinesisEventSource.Builder> value) {
            eventSource = value;
            return this;
        }

        public KinesisStreamToFunctionProps build() {
            return new KinesisStreamToFunctionProps(
                    stream,
                    code,
                    handler,
                    description,
                    environment,
                    onFailure,
                    retryUntilRecordsExpire,
                    function,
                    eventSource);
        }
    }
}
