package org.abctolls.functions;

import java.time.Duration;
import java.util.Map;

/**
 * The warehouse transformation's configuration, from its environment.
 *
 * @param futureTolerance {@code FUTURE_TOLERANCE}: how far ahead of its arrival a toll event may
 *     be stamped (ISO-8601; the stack sets the analytics job's value, so both judge alike)
 */
public record WarehouseRecordsConfig(Duration futureTolerance) {

    public static WarehouseRecordsConfig fromEnvironment(Map<String, String> environment) {
        EnvironmentVariables variables = new EnvironmentVariables(environment);
        WarehouseRecordsConfig config = new WarehouseRecordsConfig(variables.requiredDuration("FUTURE_TOLERANCE"));
        variables.failIfMissing();
        return config;
    }
}
