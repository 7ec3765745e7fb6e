package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.abctolls.localkit.AwsTarget;
import org.abctolls.localkit.CloudFormationStacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The part of the stack's template that the kit's CloudFormation (LocalStack's) deploys as it
 * is: the key, the streams, buckets, topics and queues, and their policies. A policy statement
 * that names a resource left out (a role of a function that runs in-process) is left out with
 * it; a policy left with no statement, or a resource that still names what is left out, goes
 * too, and so do {@code Metadata} and dependencies on what is left out. A fixed stream or
 * topic name gets the run's prefix, so that runs on one kit do not share a stream or topic.
 * Properties are not changed otherwise: shard counts, encryption and FIFO settings are the
 * template's, and CloudFormation resolves every reference among them.
 */
final class KitStack {

    /** The resource types the kit's CloudFormation makes. */
    static final Set<String> DEPLOYED = Set.of(
            "AWS::KMS::Key",
            LocalResources.STREAM,
            LocalResources.BUCKET,
            "AWS::S3::BucketPolicy",
            LocalResources.TOPIC,
            "AWS::SNS::TopicPolicy",
            LocalResources.QUEUE,
            "AWS::SQS::QueuePolicy");

    /** The property that names a resource of a type the template may give a fixed name. */
    private static final Map<String, String> NAME_PROPERTIES =
            Map.of(LocalResources.STREAM, "Name", LocalResources.TOPIC, "TopicName");

    private static final Logger LOG = LoggerFactory.getLogger(KitStack.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a deploy of the kit's stack may take. */
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);

    private KitStack() {}

    /**
     * Deploys the deployable part of {@code template} as the stack {@code prefix}, and reads
     * back what each of its streams, buckets, topics and queues is called on the kit, by
     * logical id.
     */
    static Map<String, LocalResources.Made> deploy(AwsTarget aws, StackTemplate template, String prefix) {
        Map<String, String> deployed;
        try (CloudFormationClient cloudFormation = aws.cloudFormation()) {
            deployed = CloudFormationStacks.create(
                    cloudFormation, prefix, templateOf(template, prefix).toString(), CREATE_TIMEOUT);
        }
        Map<String, LocalResources.Made> made = new LinkedHashMap<>();
        try (KinesisClient kinesis = aws.kinesis();
                SqsClient sqs = aws.sqs()) {
            deployed.forEach((logicalId, physicalId) -> {
                String type = template.get(logicalId).type();
                switch (type) {
                    case LocalResources.STREAM -> made.put(
                            logicalId,
                            new LocalResources.Made(
                                    type,
                                    physicalId,
                                    kinesis.describeStreamSummary(r -> r.streamName(physicalId))
                                            .streamDescriptionSummary()
                                            .streamARN(),
                                    null));
                    case LocalResources.TOPIC -> made.put(
                            logicalId, new LocalResources.Made(type, lastPart(physicalId, ':'), physicalId, null));
                    case LocalResources.QUEUE -> made.put(
                            logicalId,
                            new LocalResources.Made(
                                    type,
                                    lastPart(physicalId, '/'),
                                    sqs.getQueueAttributes(r ->
                                                    r.queueUrl(physicalId).attributeNames(QueueAttributeName.QUEUE_ARN))
                                            .attributes()
                                            .get(QueueAttributeName.QUEUE_ARN),
                                    physicalId));
                    case LocalResources.BUCKET -> made.put(
                            logicalId, new LocalResources.Made(type, physicalId, "arn:aws:s3:::" + physicalId, null));
                    default -> {
                        // The key and the policies: the kit's CloudFormation applies them, nothing reads them.
                    }
                }
            });
        }
        return made;
    }

    private static String lastPart(String physicalId, char separator) {
        return physicalId.substring(physicalId.lastIndexOf(separator) + 1);
    }

    /** The deployable part of {@code template}, as a template of its own. */
    static ObjectNode templateOf(StackTemplate template, String prefix) {
        Set<String> kept = new LinkedHashSet<>();
        for (StackTemplate.Resource resource : template.resources()) {
            if (DEPLOYED.contains(resource.type())) {
                kept.add(resource.logicalId());
            }
        }
        Map<String, ObjectNode> resources = new HashMap<>();
        kept.forEach(logicalId -> resources.put(
                logicalId, (ObjectNode) template.get(logicalId).declaration().deepCopy()));
        // Left out until nothing kept names what is left out: a resource that still does
        // after its policies lost such statements goes too, and may take others with it.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String logicalId : Set.copyOf(kept)) {
                ObjectNode resource = resources.get(logicalId);
                boolean policyEmptied = withoutStatementsNaming(resource, kept);
                Set<String> missing = new LinkedHashSet<>(references(resource.path("Properties")));
                missing.removeAll(kept);
                if (policyEmptied || !missing.isEmpty()) {
                    LOG.info(
                            "{} is left out of the kit's stack: {}",
                            logicalId,
                            policyEmptied
                                    ? "none of its policy's statements names only what the kit holds"
                                    : "it names " + missing + ", which the kit does not hold");
                    kept.remove(logicalId);
                    changed = true;
                }
            }
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode declared = body.putObject("Resources");
        for (String logicalId : kept) {
            ObjectNode resource = resources.get(logicalId);
            resource.remove("Metadata");
            if (resource.has("DependsOn")) {
                ArrayNode dependsOn = resource.putArray("DependsOn");
                template.get(logicalId).declaration().path("DependsOn").forEach(dependency -> {
                    if (kept.contains(dependency.asText())) {
                        dependsOn.add(dependency);
                    }
                });
            }
            String nameProperty = NAME_PROPERTIES.get(resource.path("Type").asText());
            if (nameProperty != null
                    && resource.path("Properties").path(nameProperty).isTextual()) {
                ObjectNode properties = (ObjectNode) resource.get("Properties");
                properties.put(
                        nameProperty,
                        prefix + "-" + properties.get(nameProperty).asText());
            }
            declared.set(logicalId, resource);
        }
        return body;
    }

    /** Removes the policy statements that name what is not kept; true if a policy lost every statement. */
    private static boolean withoutStatementsNaming(JsonNode node, Set<String> kept) {
        boolean emptied = false;
        if (node.isObject()) {
            JsonNode statements = node.get("Statement");
            if (statements != null && statements.isArray() && !statements.isEmpty()) {
                for (Iterator<JsonNode> it = statements.iterator(); it.hasNext(); ) {
                    if (!kept.containsAll(references(it.next()))) {
                        it.remove();
                    }
                }
                emptied = statements.isEmpty();
            }
        }
        for (JsonNode child : node) {
            emptied |= withoutStatementsNaming(child, kept);
        }
        return emptied;
    }

    /** The logical ids a node refers to ({@code Ref}, {@code Fn::GetAtt}), pseudo parameters aside. */
    private static Set<String> references(JsonNode node) {
        Set<String> found = new LinkedHashSet<>();
        collectReferences(node, found);
        return found;
    }

    private static void collectReferences(JsonNode node, Set<String> found) {
        if (node.isObject()) {
            if (node.has("Ref") || node.has("Fn::GetAtt")) {
                String logicalId = StackTemplate.referencedLogicalId(node);
                if (!logicalId.startsWith("AWS::")) {
                    found.add(logicalId);
                }
                return;
            }
            node.forEach(child -> collectReferences(child, found));
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, found));
        }
    }
}
