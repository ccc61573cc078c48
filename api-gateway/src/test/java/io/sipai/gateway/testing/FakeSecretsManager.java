package io.sipai.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local AWS Secrets Manager speaking {@code GetSecretValue} of its JSON protocol ({@code POST /},
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}, {@code application/x-amz-json-1.1}) for one secret, shaped
 * like the one RDS manages ({@code {"username":...,"password":...}}). A request must carry a SigV4 signature by the
 * given access key for the secret's region and service (else 400 {@code UnrecognizedClientException}, as AWS
 * answers), and name the secret's ARN (else 400 {@code ResourceNotFoundException}). Reads are counted.
 */
public final class FakeSecretsManager implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final String arn;
    private final String credentialScope;
    private final String accessKeyId;
    private final AtomicInteger reads = new AtomicInteger();
    private volatile String secretString = "{}";

    private FakeSecretsManager(String arn, String region, String accessKeyId) {
        this.arn = arn;
        this.accessKeyId = accessKeyId;
        this.credentialScope = "/" + region + "/secretsmanager/aws4_request";
        server = LoopbackHttp.serve("/", this::handle);
    }

    /** A fake holding the secret {@code arn} of {@code region}, readable with the key {@code accessKeyId}. */
    public static FakeSecretsManager start(String arn, String region, String accessKeyId) {
        return new FakeSecretsManager(arn, region, accessKeyId);
    }

    /** DB_SECRET_ENDPOINT of the fake. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes the secret's current version hold this login, as a rotation does. */
    public void put(String username, String password) {
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("username", username);
        secret.put("password", password);
        secret.put("engine", "postgres");
        secretString = JSON.writeValueAsString(secret);
    }

    /** GetSecretValue calls answered with the secret. */
    public int reads() {
        return reads.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod()) || !"secretsmanager.GetSecretValue".equals(target)) {
                answer(exchange, 400, error("UnknownOperationException", "only GetSecretValue"));
                return;
            }
            if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + accessKeyId
                    + "/") || !authorization.contains(credentialScope + ", SignedHeaders=")
                    || !authorization.contains("Signature=")) {
                answer(exchange, 400, error("UnrecognizedClientException",
                        "The security token included in the request is invalid."));
                return;
            }
            JsonNode request = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            if (!request.has("SecretId") || !arn.equals(request.get("SecretId").stringValue())) {
                answer(exchange, 400, error("ResourceNotFoundException",
                        "Secrets Manager can't find the specified secret."));
                return;
            }
            reads.incrementAndGet();
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("ARN", arn);
            value.put("Name", arn.substring(arn.indexOf(":secret:") + ":secret:".length()));
            value.put("VersionId", UUID.randomUUID().toString());
            value.put("SecretString", secretString);
            value.put("VersionStages", List.of("AWSCURRENT"));
            value.put("CreatedDate", Instant.now().getEpochSecond());
            answer(exchange, 200, JSON.writeValueAsString(value));
        }
    }

    private static String error(String type, String message) {
        return JSON.writeValueAsString(Map.of("__type", type, "message", message));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
