package org.abctolls.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.KinesisEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.constructs.Construct;

/**
 * A Java handler fed by a Kinesis stream: Java 21 on arm64 with SnapStart (the event source
 * mapping invokes the published version through the {@code live} alias); the mapping reads
 * from the start of the stream, bisects a failing batch, takes partial batch failures, sends
 * what it gives up on to an on-failure queue, and either retries a bounded number of times
 * within a bounded record age or, where a record must never be skipped ({@code
 * retryUntilRecordsExpire}), for as long as the stream keeps the record: the shard stalls,
 * and its iterator-age alarm says so. Anything else of the function or the mapping (batch
 * size, batching window, memory, timeout) is the caller's, through the overrides.
 */
public final class KinesisStreamToFunction extends Construct {

    /** Retries of a failing batch, unless records are retried until they expire. */
    public static final int DEFAULT_RETRY_ATTEMPTS = 10;

    /** Age past which a record is given up on, unless records are retried until they expire. */
    public static final Duration DEFAULT_MAX_RECORD_AGE = Duration.days(1);

    private final Function function;
    private final Alias alias;

    public KinesisStreamToFunction(Construct scope, String id, KinesisStreamToFunctionProps props) {
        super(scope, id);
        function = JavaHandlerFunction.create(
                this,
                "Function",
                "Logs",
                props.code(),
                props.description(),
                props.handler(),
                builder -> props.function()
                        .apply(builder.environment(props.environment())
                                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)));
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
                .bisectBatchOnError(true)
                .reportBatchItemFailures(true)
                .parallelizationFactor(1)
                .onFailure(new SqsDlq(props.onFailure()));
        if (!props.retryUntilRecordsExpire()) {
            // Left unset, Lambda's own defaults (-1) apply: retry, and accept a record's age, without end.
            source.retryAttempts(DEFAULT_RETRY_ATTEMPTS).maxRecordAge(DEFAULT_MAX_RECORD_AGE);
        }
        alias.addEventSource(props.eventSource().apply(source).build());
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }
}
