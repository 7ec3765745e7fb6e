package org.abctolls.localpipeline;

import java.util.Map;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.LocalKit;

/**
 * The AWS the commands run against: endpoints named in the environment, or else the local kit
 * that {@code ./tolls} has started for them.
 */
final class KitTarget {
    private KitTarget() {}

    static AwsTarget of(Map<String, String> environment) {
        if (AwsTarget.isNamedBy(environment)) {
            return AwsTarget.fromEnvironment(environment);
        }
        return AwsTarget.localKit(LocalKit.find(environment).endpoints());
    }
}
