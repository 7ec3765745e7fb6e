package org.abctolls.infra;

import java.util.function.UnaryOperator;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A handler of the functions jar as every function of the stack runs it: Java 21 on arm64,
 * JSON logs kept a month, X-Ray tracing, and the cdk-nag findings this setup accepts.
 */
final class JavaHandlerFunction {

    private JavaHandlerFunction() {}

    /**
     * @param id the function's construct id; its log group is {@code logsId}
     * @param code the functions jar
     * @param more what this function sets beyond the common settings (environment, SnapStart)
     */
    static Function create(
            Construct scope,
            String id,
            String logsId,
            Code code,
            String description,
            String handler,
            UnaryOperator<Function.Builder> more) {
        LogGroup logs = LogGroup.Builder.create(scope, logsId)
                .retention(RetentionDays.ONE_MONTH)
                .build();
        Function function = more.apply(Function.Builder.create(scope, id)
                        .description(description)
                        .runtime(Runtime.JAVA_21)
                        .architecture(Architecture.ARM_64)
                        .code(code)
                        .handler(handler)
                        .memorySize(1024)
                        .timeout(Duration.minutes(1))
                        .loggingFormat(LoggingFormat.JSON)
                        .logGroup(logs)
                        .tracing(Tracing.ACTIVE))
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
        return function;
    }
}
