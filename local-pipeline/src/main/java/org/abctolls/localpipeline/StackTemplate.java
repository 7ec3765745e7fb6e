package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack's synthesized CloudFormation template, read for the resources the local kit can
 * hold: streams, tables, topics, queues, buckets, and the functions' event source mappings.
 * Each resource is named by the id of the stack's construct it belongs to (from the
 * {@code aws:cdk:path} metadata): {@code TollEvents} for the stream, {@code BillingThreshold}
 * for the function inside that construct; the local pipeline names its resources so too.
 */
public final class StackTemplate {

    /**
     * A resource: its logical id in the template, its type, its top-level construct's id, and
     * its declaration (type, properties, dependencies and policies).
     */
    public record Resource(String logicalId, String type, String id, JsonNode declaration) {
        public JsonNode properties() {
            return declaration.path("Properties");
        }
    }

    private final Map<String, Resource> byLogicalId = new LinkedHashMap<>();

    private StackTemplate(JsonNode template) {
        template.path("Resources").fields().forEachRemaining(entry -> {
            JsonNode resource = entry.getValue();
            String[] path =
                    resource.path("Metadata").path("aws:cdk:path").asText("").split("/");
            String id = path.length >= 2 ? path[1] : entry.getKey();
            byLogicalId.put(
                    entry.getKey(),
                    new Resource(entry.getKey(), resource.path("Type").asText(), id, resource));
        });
    }

    public static StackTemplate read(Path file) {
        try {
            return new StackTemplate(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the stack template " + file, e);
        }
    }

    /** Every resource of the template, in template order. */
    public Collection<Resource> resources() {
        return Collections.unmodifiableCollection(byLogicalId.values());
    }

    /** Every resource of a CloudFormation type, in template order. */
    public List<Resource> ofType(String type) {
        return resources().stream()
                .filter(resource -> resource.type().equals(type))
                .toList();
    }

    /** The resource of a type that the construct {@code id} holds. */
    public Resource find(String type, String id) {
        return ofType(type).stream()
                .filter(resource -> resource.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type + " of " + id + " in the template"));
    }

    public Resource get(String logicalId) {
        Resource resource = byLogicalId.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return resource;
    }

    /** The logical id a {@code Ref} or {@code Fn::GetAtt} names. */
    public static String referencedLogicalId(JsonNode reference) {
        if (reference.has("Ref")) {
            return reference.get("Ref").asText();
        }
        if (reference.has("Fn::GetAtt")) {
            return reference.get("Fn::GetAtt").get(0).asText();
        }
        throw new IllegalArgumentException("not a Ref or Fn::GetAtt: " + reference);
    }
}
