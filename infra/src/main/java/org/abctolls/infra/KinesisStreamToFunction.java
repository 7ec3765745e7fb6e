package org.abctolls.infra;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * A Java handler fed by a Kinesis stream: Java 21 on arm64 with SnapStart (the event source
 * mapping invokes the published version through the {@code live} alias), and the mapping
 * settings of {@link PipelineSettings}: batches, batching window, bisect on error, partial
 * batch failures, an on-failure queue, and either bounded retries and record age or, where a
 * record must never be skipped ({@code retryUntilRecordsExpire}), retries for as long as the
 * stream keeps the record: the shard stalls, and its iterator-age alarm says so.
 */
public final class KinesisStreamToFunction extends Construct {

    /** The construct's inputs. */
    public record Props(
            IStream stream,
            String handler,
            String description,
            Map<String, String> environment,
            IQueue onFailure,
            boolean retryUntilRecordsExpire) {
        public Props {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(handler, "handler");
            environment = Map.copyOf(environment);
            Objects.requireNonNull(onFailure, "onFailure");
        }

        public static Builder builder() {
            return new Builder();
        }

        /** Builds {@link Props}. */
        public static final class Builder {
            private IStream stream;
            private String handler;
            private String description = "";
            private Map<String, String> environment = Map.of();
            private IQueue onFailure;
            private boolean retryUntilRecordsExpire;

            public Builder stream(IStream value) {
                stream = value;
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

            public Props build() {
                return new Props(stream, handler, description, environment, onFailure, retryUntilRecordsExpire);
            }
        }
    }

    private final Function function;
    private final Alias alias;

    public KinesisStreamToFunction(Construct scope, String id, Props props) {
        super(scope, id);
        function = JavaHandlerFunction.create(
                this, "Function", "Logs", props.description(), props.handler(), builder -> builder.environment(
                                props.environment())
                        .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS));
        // SnapStart snapshots the published version that the alias below points to.
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish", "The live alias invokes a published version");
        alias = Alias.Builder.create(this, "Live")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build();
        KinesisEventSource.Builder source = KinesisEventSource.Builder.create(props.stream())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(PipelineSettings.BATCH_SIZE)
                .maxBatchingWindow(PipelineSettings.BATCHING_WINDOW)
                .bisectBatchOnError(true)
                .reportBatchItemFailures(true)
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(props.onFailure()));
        if (!props.retryUntilRecordsExpire()) {
            // Left unset, Lambda's own defaults (-1) apply: retry, and accept a record's age, without end.
            source.retryAttempts(PipelineSettings.MAX_RETRY_ATTEMPTS).maxRecordAge(PipelineSettings.MAX_RECORD_AGE);
        }
        alias.addEventSource(source.build());
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }
}
