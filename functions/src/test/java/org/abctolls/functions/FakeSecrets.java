package org.abctolls.functions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageResponse;

/** One secret in Secrets Manager, with its versions and their stages, as rotation moves them. */
final class FakeSecrets implements SecretsManagerClient {

    final String arn;
    boolean rotationEnabled = true;
    /** Version id to its value and stages, in the order made. */
    final Map<String, String> values = new LinkedHashMap<>();

    final Map<String, List<String>> stages = new LinkedHashMap<>();
    final List<String> passwordsHandedOut = new ArrayList<>();
    final List<GetRandomPasswordRequest> passwordRequests = new ArrayList<>();

    FakeSecrets(String arn, String firstVersion, String value) {
        this.arn = arn;
        values.put(firstVersion, value);
        stages.put(firstVersion, new ArrayList<>(List.of("AWSCURRENT")));
    }

    /** What Secrets Manager does when a rotation starts: a version id, staged pending. */
    void startRotation(String token) {
        stages.put(token, new ArrayList<>(List.of("AWSPENDING")));
    }

    String valueAt(String stage) {
        return stages.entrySet().stream()
                .filter(version -> version.getValue().contains(stage))
                .map(version -> values.get(version.getKey()))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        requireThisSecret(request.secretId());
        Map<String, List<String>> copy = new LinkedHashMap<>();
        stages.forEach((version, staged) -> copy.put(version, List.copyOf(staged)));
        return DescribeSecretResponse.builder()
                .arn(arn)
                .rotationEnabled(rotationEnabled)
                .versionIdsToStages(copy)
                .build();
    }

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        requireThisSecret(request.secretId());
        String stage = request.versionStage() == null ? "AWSCURRENT" : request.versionStage();
        String version = request.versionId() != null
                ? request.versionId()
                : stages.entrySet().stream()
                        .filter(entry -> entry.getValue().contains(stage))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(null);
        if (version == null
                || !values.containsKey(version)
                || !stages.get(version).contains(stage)) {
            throw ResourceNotFoundException.builder()
                    .message("no version " + version + " at stage " + stage)
                    .build();
        }
        return GetSecretValueResponse.builder()
                .arn(arn)
                .versionId(version)
                .secretString(values.get(version))
                .build();
    }

    @Override
    public GetRandomPasswordResponse getRandomPassword(GetRandomPasswordRequest request) {
        passwordRequests.add(request);
        String password = "Rotated" + (passwordsHandedOut.size() + 1)
                + "x".repeat(request.passwordLength().intValue() - 8);
        passwordsHandedOut.add(password);
        return GetRandomPasswordResponse.builder().randomPassword(password).build();
    }

    @Override
    public PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
        requireThisSecret(request.secretId());
        values.put(request.clientRequestToken(), request.secretString());
        stages.put(request.clientRequestToken(), new ArrayList<>(request.versionStages()));
        return PutSecretValueResponse.builder()
                .versionId(request.clientRequestToken())
                .build();
    }

    @Override
    public UpdateSecretVersionStageResponse updateSecretVersionStage(UpdateSecretVersionStageRequest request) {
        requireThisSecret(request.secretId());
        if (request.removeFromVersionId() != null) {
            stages.get(request.removeFromVersionId()).remove(request.versionStage());
        }
        stages.get(request.moveToVersionId()).add(request.versionStage());
        if ("AWSCURRENT".equals(request.versionStage()) && request.removeFromVersionId() != null) {
            // What Secrets Manager does itself when AWSCURRENT moves, and as the rotation ends.
            stages.values().forEach(staged -> staged.remove("AWSPREVIOUS"));
            stages.get(request.removeFromVersionId()).add("AWSPREVIOUS");
            stages.get(request.moveToVersionId()).remove("AWSPENDING");
        }
        return UpdateSecretVersionStageResponse.builder().build();
    }

    private void requireThisSecret(String secretId) {
        if (!arn.equals(secretId)) {
            throw ResourceNotFoundException.builder()
                    .message("no secret " + secretId)
                    .build();
        }
    }

    @Override
    public String serviceName() {
        return "secretsmanager";
    }

    @Override
    public void close() {}
}
