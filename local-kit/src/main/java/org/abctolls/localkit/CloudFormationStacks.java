package org.abctolls.localkit;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.waiters.CloudFormationWaiter;

/** Stacks made on the kit's CloudFormation (or any other), waited for until they are made. */
public final class CloudFormationStacks {

    private CloudFormationStacks() {}

    /**
     * Creates a stack and waits until it is made, polling once a second: the SDK's default of a
     * poll every 30 seconds is for AWS's slower resources, and the kit makes these in seconds.
     *
     * @return each resource's physical id by logical id
     * @throws IllegalStateException naming each resource that failed and why
     */
    public static Map<String, String> create(
            CloudFormationClient cloudFormation, String stackName, String templateBody, Duration timeout) {
        cloudFormation.createStack(r -> r.stackName(stackName).templateBody(templateBody));
        try (CloudFormationWaiter waiter = CloudFormationWaiter.builder()
                .client(cloudFormation)
                .overrideConfiguration(
                        poll -> poll.backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(1)))
                                .waitTimeout(timeout)
                                // The waiter's own limit of attempts would end it long before the timeout.
                                .maxAttempts((int) timeout.toSeconds()))
                .build()) {
            waiter.waitUntilStackCreateComplete(r -> r.stackName(stackName));
        } catch (SdkClientException notCreated) {
            String failures = cloudFormation.describeStackEvents(r -> r.stackName(stackName)).stackEvents().stream()
                    .filter(event -> event.resourceStatus() == ResourceStatus.CREATE_FAILED)
                    .map(event -> event.logicalResourceId() + ": " + event.resourceStatusReason())
                    .collect(Collectors.joining("; "));
            throw new IllegalStateException(
                    "CloudFormation did not make stack " + stackName + ": "
                            + (failures.isEmpty() ? notCreated.getMessage() : failures),
                    notCreated);
        }
        return cloudFormation.describeStackResources(r -> r.stackName(stackName)).stackResources().stream()
                .collect(Collectors.toMap(StackResource::logicalResourceId, StackResource::physicalResourceId));
    }
}
