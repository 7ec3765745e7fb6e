package org.abctolls.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The loader secret's JSON, {@code {"username": ..., "password": ...}} as Firehose reads it.
 * Errors name the secret and the missing key, never a value.
 */
final class LoaderSecret {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoaderSecret() {}

    static WarehouseUsers.Credentials parse(String secretString, String secretId) {
        return credentialsOf(objectOf(secretString, secretId), secretId);
    }

    /** The secret with other credentials, every other key it holds kept. */
    static String with(String secretString, WarehouseUsers.Credentials credentials, String secretId) {
        ObjectNode json = objectOf(secretString, secretId);
        credentialsOf(json, secretId);
        json.put("username", credentials.username());
        json.put("password", credentials.password());
        return json.toString();
    }

    private static ObjectNode objectOf(String secretString, String secretId) {
        JsonNode json;
        try {
            json = JSON.readTree(secretString);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the secret " + secretId + " is not JSON");
        }
        if (!(json instanceof ObjectNode object)) {
            throw new IllegalStateException("the secret " + secretId + " is not a JSON object");
        }
        return object;
    }

    private static WarehouseUsers.Credentials credentialsOf(JsonNode json, String secretId) {
        return new WarehouseUsers.Credentials(text(json, "username", secretId), text(json, "password", secretId));
    }

    private static String text(JsonNode json, String key, String secretId) {
        JsonNode value = json.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("the secret " + secretId + " has no text '" + key + "'");
        }
        return value.asText();
    }
}
