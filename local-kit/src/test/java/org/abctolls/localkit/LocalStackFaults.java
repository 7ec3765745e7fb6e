package org.abctolls.localkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

/**
 * Switches LocalStack's Kinesis fault injection on a running LocalStack (the kit starts it
 * with ENABLE_CONFIG_UPDATES=1): that fraction of PutRecord/PutRecords calls fail with
 * ProvisionedThroughputExceeded. Closing switches it off again.
 */
public final class LocalStackFaults implements AutoCloseable {

    private final URI configEndpoint;

    private LocalStackFaults(URI localStack) {
        this.configEndpoint = localStack.resolve("/_localstack/config");
    }

    /** Fails {@code probability} of Kinesis writes until closed. */
    public static LocalStackFaults kinesisErrors(AwsTarget aws, double probability) {
        URI endpoint = aws.endpoint("KINESIS")
                .orElseThrow(() -> new IllegalStateException("fault injection needs LocalStack, not " + aws));
        LocalStackFaults faults = new LocalStackFaults(endpoint);
        faults.set(probability);
        return faults;
    }

    private void set(double probability) {
        String body =
                String.format(Locale.ROOT, "{\"variable\":\"KINESIS_ERROR_PROBABILITY\",\"value\":%s}", probability);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(configEndpoint)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("LocalStack refused the config update (HTTP " + response.statusCode()
                        + "); is it running with ENABLE_CONFIG_UPDATES=1?");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach LocalStack at " + configEndpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        set(0.0);
    }
}
