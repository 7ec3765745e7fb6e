package org.abctolls.localpipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abctolls.kclhost.EventSourceMapping;
import org.abctolls.localkit.AwsTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;

/**
 * The stack's resources on the local kit, from its synthesized template, addressed by the
 * template's logical and construct ids. The kit's CloudFormation deploys what it can hold as a
 * stack named by the run's prefix ({@link KitStack}); the tables and delivery streams are made
 * by hand ({@link HandMadeResources} says why). What runs in-process instead (the functions, on
 * the KCL host; the Flink application, on a MiniCluster) or is left out (Redshift, alarms,
 * roles) is listed in the module README.
 */
public final class LocalResources {

    /** A resource on the kit: its name, its ARN, and for a queue its URL. */
    public record Made(String type, String name, String arn, String url) {}

    static final String STREAM = "AWS::Kinesis::Stream";
    static final String TABLE = "AWS::DynamoDB::Table";
    static final String TOPIC = "AWS::SNS::Topic";
    static final String QUEUE = "AWS::SQS::Queue";
    static final String BUCKET = "AWS::S3::Bucket";
    static final String DELIVERY_STREAM = "AWS::KinesisFirehose::DeliveryStream";

    private final Map<String, Made> byLogicalId;
    private final StackTemplate template;
    private final String region;

    private LocalResources(StackTemplate template, Map<String, Made> byLogicalId, String region) {
        this.template = template;
        this.byLogicalId = byLogicalId;
        this.region = region;
    }

    public static LocalResources create(AwsTarget aws, StackTemplate template, String prefix) {
        Map<String, Made> made = KitStack.deploy(aws, template, prefix);
        try (DynamoDbClient dynamoDb = aws.dynamoDb()) {
            for (StackTemplate.Resource table : template.ofType(TABLE)) {
                made.put(
                        table.logicalId(),
                        HandMadeResources.table(dynamoDb, prefix + "-" + table.id(), table.properties()));
            }
        }
        LocalResources resources =
                new LocalResources(template, made, aws.region().id());
        try (FirehoseClient firehose = aws.firehose()) {
            for (StackTemplate.Resource deliveryStream : template.ofType(DELIVERY_STREAM)) {
                if (deliversToS3(deliveryStream)) {
                    JsonNode destination = destinationOf(deliveryStream);
                    made.put(
                            deliveryStream.logicalId(),
                            HandMadeResources.deliveryStream(
                                    firehose,
                                    aws,
                                    prefix + "-" + deliveryStream.id(),
                                    destination,
                                    resources.resolve(destination.path("BucketARN"))));
                }
            }
        }
        return resources;
    }

    /** A delivery stream into Redshift is left out: the kit has no Redshift (its warehouse loads the archive). */
    private static boolean deliversToS3(StackTemplate.Resource deliveryStream) {
        return deliveryStream.properties().has("ExtendedS3DestinationConfiguration")
                || deliveryStream.properties().has("S3DestinationConfiguration");
    }

    static JsonNode destinationOf(StackTemplate.Resource deliveryStream) {
        JsonNode properties = deliveryStream.properties();
        return properties.has("ExtendedS3DestinationConfiguration")
                ? properties.path("ExtendedS3DestinationConfiguration")
                : properties.path("S3DestinationConfiguration");
    }

    /** Each delivery stream on the kit, by construct id, with the stream the template has it read. */
    public Map<String, Made> deliveryStreamSources() {
        Map<String, Made> sources = new LinkedHashMap<>();
        for (StackTemplate.Resource deliveryStream : template.ofType(DELIVERY_STREAM)) {
            if (byLogicalId.containsKey(deliveryStream.logicalId())) {
                sources.put(
                        deliveryStream.id(),
                        get(StackTemplate.referencedLogicalId(deliveryStream
                                .properties()
                                .path("KinesisStreamSourceConfiguration")
                                .path("KinesisStreamARN"))));
            }
        }
        return sources;
    }

    /**
     * Where a delivery stream writes: its bucket, the fixed start of its prefix (before the
     * first {@code !{...}} expression) and whether it gzips its objects.
     */
    public record ArchiveDestination(String bucket, String prefix, boolean gzip) {}

    public ArchiveDestination archiveDestinationOf(String deliveryStreamId) {
        JsonNode destination = destinationOf(template.find(DELIVERY_STREAM, deliveryStreamId));
        String prefix = destination.path("Prefix").asText("");
        int expression = prefix.indexOf("!{");
        return new ArchiveDestination(
                get(StackTemplate.referencedLogicalId(destination.path("BucketARN")))
                        .name(),
                expression < 0 ? prefix : prefix.substring(0, expression),
                "GZIP".equals(destination.path("CompressionFormat").asText()));
    }

    /** The resource made for a logical id of the template. */
    public Made get(String logicalId) {
        Made made = byLogicalId.get(logicalId);
        if (made == null) {
            throw new IllegalArgumentException(logicalId + " is not a resource the kit holds");
        }
        return made;
    }

    /** The resource made for a construct id, e.g. {@code TollEvents}. */
    public Made byId(String id) {
        for (Map.Entry<String, Made> entry : byLogicalId.entrySet()) {
            if (template.get(entry.getKey()).id().equals(id)) {
                return entry.getValue();
            }
        }
        throw new IllegalArgumentException("no resource " + id + " on the kit");
    }

    /**
     * A function's environment variables as the template sets them, with each {@code Ref} and
     * {@code Fn::GetAtt ... Arn} resolved to the kit's resource as CloudFormation would resolve
     * it: a table's or bucket's name, a topic's ARN, a queue's URL.
     */
    public Map<String, String> environmentOf(String functionId) {
        return resolved(template.find("AWS::Lambda::Function", functionId)
                .properties()
                .path("Environment")
                .path("Variables"));
    }

    /**
     * A property group of a Managed Flink application as the template sets it, resolved as
     * {@link #environmentOf} resolves a function's environment ({@code AWS::Region} to the
     * kit's region): what the job reads at run time on AWS.
     */
    public Map<String, String> propertyGroupOf(String applicationId, String groupId) {
        for (JsonNode group : template.find("AWS::KinesisAnalyticsV2::Application", applicationId)
                .properties()
                .path("ApplicationConfiguration")
                .path("EnvironmentProperties")
                .path("PropertyGroups")) {
            if (group.path("PropertyGroupId").asText().equals(groupId)) {
                return resolved(group.path("PropertyMap"));
            }
        }
        throw new IllegalArgumentException("application " + applicationId + " has no property group " + groupId);
    }

    /** The event source mapping that feeds a function, with the template's settings. */
    public EventSourceMapping eventSourceMappingOf(String functionId) {
        JsonNode mapping = mappingOf(functionId).properties();
        boolean reportsItemFailures = false;
        for (JsonNode type : mapping.path("FunctionResponseTypes")) {
            reportsItemFailures |= type.asText().equals("ReportBatchItemFailures");
        }
        return new EventSourceMapping(
                mapping.path("BatchSize").asInt(100),
                Duration.ofSeconds(
                        mapping.path("MaximumBatchingWindowInSeconds").asLong(0)),
                mapping.path("BisectBatchOnFunctionError").asBoolean(false),
                reportsItemFailures,
                mapping.path("MaximumRetryAttempts").asInt(-1));
    }

    /** The stream that feeds a function. */
    public Made sourceOf(String functionId) {
        return get(StackTemplate.referencedLogicalId(
                mappingOf(functionId).properties().path("EventSourceArn")));
    }

    /** Where a function's failed batches are described. */
    public Made onFailureOf(String functionId) {
        return get(StackTemplate.referencedLogicalId(mappingOf(functionId)
                .properties()
                .path("DestinationConfig")
                .path("OnFailure")
                .path("Destination")));
    }

    private StackTemplate.Resource mappingOf(String functionId) {
        return template.find("AWS::Lambda::EventSourceMapping", functionId);
    }

    /** An object's fields, each a string or a reference resolved by {@link #resolve}. */
    private Map<String, String> resolved(JsonNode fields) {
        Map<String, String> values = new HashMap<>();
        fields.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            values.put(field.getKey(), value.isTextual() ? value.asText() : resolve(value));
        });
        return values;
    }

    private String resolve(JsonNode reference) {
        if (reference.path("Ref").asText().equals("AWS::Region")) {
            return region;
        }
        Made made = get(StackTemplate.referencedLogicalId(reference));
        if (reference.has("Fn::GetAtt")) {
            String attribute = reference.get("Fn::GetAtt").path(1).asText();
            if (!attribute.equals("Arn")) {
                throw new IllegalArgumentException("the kit resolves only Fn::GetAtt Arn, not " + reference);
            }
            return made.arn();
        }
        return switch (made.type()) {
            case TOPIC -> made.arn();
            case QUEUE -> made.url();
            default -> made.name();
        };
    }
}
