package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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

    /** A resource: its logical id in the template, its top-level construct's id, its properties. */
    public record Resource(String logicalId, String id, JsonNode properties) {}

    private final JsonNode template;
    private final Map<String, Resource> byLogicalId = new LinkedHashMap<>();
    private final Map<String, String> typeByLogicalId = new LinkedHashMap<>();

    private StackTemplate(JsonNode template) {
        this.template = template;
        Iterator<Map.Entry<String, JsonNode>> resources =
                template.path("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> entry = resources.next();
            JsonNode resource = entry.getValue();
            String[] path =
                    resource.path("Metadata").path("aws:cdk:path").asText("").split("/");
            String id = path.length >= 2 ? path[1] : entry.getKey();
            byLogicalId.put(entry.getKey(), new Resource(entry.getKey(), id, resource.path("Properties")));
            typeByLogicalId.put(entry.getKey(), resource.path("Type").asText());
        }
    }

    public static StackTemplate read(Path file) {
        try {
            return new StackTemplate(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the stack template " + file, e);
        }
    }

    /** Every resource of a CloudFormation type, in template order. */
    public List<Resource> ofType(String type) {
        List<Resource> resources = new ArrayList<>();
        typeByLogicalId.forEach((logicalId, resourceType) -> {
            if (resourceType.equals(type)) {
                resources.add(byLogicalId.get(logicalId));
            }
        });
        return resources;
    }

    public Resource get(String logicalId) {
        Resource resource = byLogicalId.get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("no resource " + logicalId + " in the template");
        }
        return resource;
    }

    /** The resource as the template declares it: type, properties, dependencies and policies. */
    JsonNode declaration(String logicalId) {
        get(logicalId);
        return template.path("Resources").path(logicalId);
    }

    /** Every logical id of the template, in template order. */
    Iterable<String> logicalIds() {
        return byLogicalId.keySet();
    }

    public String typeOf(String logicalId) {
        return typeByLogicalId.get(logicalId);
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
