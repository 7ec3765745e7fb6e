package org.abctolls.infra;

import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * A Java handler fed by a Kinesis stream: Java 21 on arm64 with SnapStart (the event source
 * mapping invokes the published version through the {@code live} alias), and the mapping
 * settings of {@link PipelineSettings}: batches, batching window, bisect on error, partial
 * batch failures, bounded retries and record age, and an on-failure queue.
 */
public final class KinesisStreamToFunction extends Construct {

    /** The construct's inputs. */
    public record Props(
            IStream stream, String handler, String description, Map<String, String> environment, IQueue onFailure) {
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

            public Props build() {
                return new Props(stream, handler, description, environment, onFailure);
            }
        }
    }

    private final Function function;
    private final Alias alias;

    public KinesisStreamToFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.ONE_MONTH)
                .build();
        function = Function.Builder.create(this, "Function")
                .description(props.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(RepositoryPaths.resolve(PipelineSettings.FUNCTIONS_JAR)))
                .handler(props.handler())
                .memorySize(1024)
                .timeout(Duration.minutes(1))
                .environment(props.environment())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logs)
                .tracing(Tracing.ACTIVE)
                .build();
        Findings.accept(
                function,
                "AwsSolutions-L1",
                "java21 is the newest Lambda Java runtime the handlers are built and tested for (Java 17 bytecode)");
        Findings.acceptMatching(
                function,
                "AwsSolutions-IAM5",
                "/^Resource::\\*$/",
                "X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions");
        // SnapStart snapshots the published version that the alias below points to.
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish", "The live alias invokes a published version");
        alias = Alias.Builder.create(this, "Live")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build();
        alias.addEventSource(KinesisEventSource.Builder.create(props.stream())
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(PipelineSettings.BATCH_SIZE)
                .maxBatchingWindow(PipelineSettings.BATCHING_WINDOW)
                .bisectBatchOnError(true)
                .reportBatchItemFailures(true)
                .retryAttempts(PipelineSettings.MAX_RETRY_ATTEMPTS)
                .maxRecordAge(PipelineSettings.MAX_RECORD_AGE)
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(props.onFailure()))
                .build());
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }
}
