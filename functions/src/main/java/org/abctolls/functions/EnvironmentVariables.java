package org.abctolls.functions;

import java.time.Duration;
import java.time.format.DateTimeParseException;
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

    /**
     * @throws IllegalStateException if the variable is set but is not an ISO-8601 duration; a
     *     missing one is named by {@link #failIfMissing}
     */
    Duration requiredDuration(String name) {
        String value = required(name);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(name + " must be an ISO-8601 duration like PT888H, was \"" + value + "\"");
        }
    }

    /** @throws IllegalStateException naming every required variable that was not set */
    void failIfMissing() {
        if (!missing.isEmpty()) {
            throw new IllegalStateException("missing environment variables: " + String.join(", ", missing));
        }
    }
}
