package io.sipai.gateway.db;

import io.sipai.gateway.testing.FakeSecretsManager;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rotation with {@code DB_SECRET_ARN}: the secret is read from a local Secrets Manager
 * ({@code DB_SECRET_ENDPOINT}) with SigV4-signed requests whose credentials come from the standard AWS chain (here
 * its system properties), in the ARN's region; a rotation puts a new password into the secret, as RDS does.
 */
class SecretsManagerRotationTest extends PasswordRotationScenario {

    private static final String REGION = "eu-west-1";
    private static final String ARN = "arn:aws:secretsmanager:" + REGION
            + ":123456789012:secret:rds!db-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-Ab12Cd";
    private static final String ACCESS_KEY_ID = "AKIAROTATIONTEST0001";
    private static PasswordLoginRole role;
    private static FakeSecretsManager secrets;

    @DynamicPropertySource
    static void secret(DynamicPropertyRegistry registry) {
        System.setProperty("aws.accessKeyId", ACCESS_KEY_ID);
        System.setProperty("aws.secretAccessKey", "rotation-test-secret-access-key");
        String password = newPassword();
        role = PasswordLoginRole.create("gateway_secret_rotation", password);
        secrets = FakeSecretsManager.start(ARN, REGION, ACCESS_KEY_ID);
        secrets.put(role.name(), password);
        registry.add("db.url", role::jdbcUrl);
        // The secret names the user: DB_USER is only the fallback.
        registry.add("db.user", () -> "not-the-secrets-user");
        registry.add("db.secret-arn", () -> ARN);
        registry.add("db.secret-endpoint", secrets::endpoint);
    }

    @AfterAll
    static void stopSecretsManager() {
        secrets.close();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @Override
    PasswordLoginRole role() {
        return role;
    }

    @Override
    void store(String password) {
        secrets.put(role.name(), password);
    }

    @Override
    String storeName() {
        return "DB_SECRET_ARN " + ARN;
    }

    @Override
    String source() {
        return "secrets-manager";
    }

    @Override
    int storeReads() {
        return secrets.reads();
    }
}
