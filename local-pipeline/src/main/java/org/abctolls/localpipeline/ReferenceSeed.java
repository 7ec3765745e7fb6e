package org.abctolls.localpipeline;

import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.abctolls.domain.Customer;
import org.abctolls.domain.ReferenceData;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A run's reference data where the pipeline reads it: the stations and their thresholds as
 * the contract's files in the reference bucket, the customers (with their spending
 * thresholds) as items of the customers table.
 */
final class ReferenceSeed {

    private ReferenceSeed() {}

    static void load(
            LocalPipeline.Reference reference, LocalResources resources, S3Client s3, DynamoDbClient dynamoDb) {
        StringWriter stations = new StringWriter();
        ReferenceData.writeStations(stations, reference.stations());
        StringWriter thresholds = new StringWriter();
        ReferenceData.writeStationThresholds(thresholds, reference.thresholds());
        String bucket = resources.byId("ReferenceData").name();
        s3.putObject(
                r -> r.bucket(bucket).key(ReferenceData.STATIONS_FILE), RequestBody.fromString(stations.toString()));
        s3.putObject(
                r -> r.bucket(bucket).key(ReferenceData.STATION_THRESHOLDS_FILE),
                RequestBody.fromString(thresholds.toString()));
        String customersTable = resources.byId("Customers").name();
        for (Customer customer : reference.customers()) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("customerId", AttributeValue.fromS(customer.customerId()));
            customer.monthlyThresholdCents()
                    .ifPresent(cents -> item.put("monthlyThresholdCents", AttributeValue.fromN(Long.toString(cents))));
            dynamoDb.putItem(r -> r.tableName(customersTable).item(item));
        }
    }
}
