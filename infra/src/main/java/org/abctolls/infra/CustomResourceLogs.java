package org.abctolls.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One log group, per stack, for the handlers the CDK brings along (custom resources, the
 * provider framework, bucket deployments). Without it each writes to a group Lambda makes on
 * first use, which never expires and is not under the stack's key; made here, it is a group of
 * the stack like the others (a month's retention, encrypted by the stack's key).
 */
final class CustomResourceLogs {
    private static final String ID = "CustomResourceLogs";

    private CustomResourceLogs() {}

    static ILogGroup of(Construct scope) {
        Stack stack = Stack.of(scope);
        if (stack.getNode().tryFindChild(ID) instanceof ILogGroup existing) {
            return existing;
        }
        return LogGroup.Builder.create(stack, ID)
                .retention(RetentionDays.ONE_MONTH)
                .build();
    }
}
