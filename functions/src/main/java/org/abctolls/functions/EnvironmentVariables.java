package org.abctolls.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a function's configuration from its environment once, naming every variable missing. */
final class EnvironmentVariables {
    private final Map<String, String> environment;
    private final List<String> missing = new ArrayList<>();

    EnvironmentVariables(Map<String, String> environment) {
        this.environment = environment;
    }

    String required(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            missing.add(name);
            return "";
        }
        return value.trim();
    }

    /** @throws IllegalStateException naming every required variable that was not set */
    void failIfMissing() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing environment variables: " + String.join(", ", missing));
        }
    }
}
