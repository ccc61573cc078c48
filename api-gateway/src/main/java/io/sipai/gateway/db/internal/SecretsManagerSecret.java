package io.sipai.gateway.db.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code DB_SECRET_ARN}: an AWS Secrets Manager secret whose value is JSON with {@code password} and usually
 * {@code username}, the shape RDS keeps for the master user it manages and rotates. Read with {@code GetSecretValue}
 * (the current version) in the ARN's region, with credentials from the standard AWS chain (on ECS the task role).
 * A failure's message names the secret and the SDK's error, never a part of the secret's value.
 */
public final class SecretsManagerSecret implements CredentialsSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

    private final String arn;
    private final String defaultUser;
    private final SecretsManagerClient client;

    /**
     * @param endpoint another endpoint than the region's (a VPC endpoint without private DNS, a test), or null
     */
    public SecretsManagerSecret(String arn, String region, URI endpoint, String defaultUser) {
        this.arn = arn;
        this.defaultUser = defaultUser;
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder().region(Region.of(region))
                .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        this.client = builder.build();
    }

    @Override
    public DbCredentials read() throws IOException {
        String value;
        try {
            value = client.getSecretValue(request -> request.secretId(arn)).secretString();
        } catch (SdkException e) {
            throw new IOException("cannot read " + describe() + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new IOException(describe() + " has no SecretString (a binary secret?)");
        }
        JsonNode secret;
        try {
            secret = JSON.readTree(value);
        } catch (JacksonException e) {
            // Jackson's message may quote the text it could not parse: the secret itself.
            throw new IOException(describe() + " is not JSON; expected {\"username\":...,\"password\":...}");
        }
        JsonNode password = secret.get("password");
        if (password == null || !password.isString()) {
            throw new IOException(describe() + " has no \"password\" string");
        }
        JsonNode username = secret.get("username");
        String user = username != null && username.isString() && !username.stringValue().isBlank()
                ? username.stringValue() : defaultUser;
        return new DbCredentials(user, password.stringValue());
    }

    @Override
    public boolean rereadable() {
        return true;
    }

    @Override
    public String describe() {
        return "DB_SECRET_ARN " + arn;
    }

    @Override
    public void close() {
        client.close();
    }
}
