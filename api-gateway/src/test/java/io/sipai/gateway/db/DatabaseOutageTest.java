package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.GatewayApplication;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.telephony.TwilioSignature;
import io.sipai.testing.cluster.Database;
import io.sipai.testing.http.Health;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * While PostgreSQL is down the gateway stays alive, reports not ready, and answers every request that needs the
 * database with a clean 503 {@code database-unavailable} problem within {@code DB_CONNECT_TIMEOUT_SEC}, in the API
 * key filter and in controllers alike; once the server is back it serves again without a restart. Runs on a
 * PostgreSQL server of its own, which the test stops and starts (the module's shared one stays up).
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.admin-api-key=" + DatabaseOutageTest.ADMIN_KEY, "db.connect-timeout-sec=1",
                "sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS,
                "twilio.account-sid=ACoutage", "twilio.auth-token=" + DatabaseOutageTest.TWILIO_TOKEN,
                "telephony.webhook-base-url=" + DatabaseOutageTest.PUBLIC_BASE_URL})
@DirtiesContext
class DatabaseOutageTest {

    static final String ADMIN_KEY = "sk_outage_admin_key_0123456789abcdef";
    static final String TWILIO_TOKEN = "outage-token";
    static final String PUBLIC_BASE_URL = "https://gw.example.com";
    /** DB_CONNECT_TIMEOUT_SEC above, plus what a loaded test machine may add. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(4);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Database database;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) throws IOException {
        database = Database.start(Files.createTempDirectory("gateway-outage-db"));
        registry.add("db.url", database::jdbcUrl);
        registry.add("db.user", database::user);
        registry.add("db.password", database::password);
    }

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void givenPostgresqlIsDown_whenRequestsArrive_thenTheyAnswer503ProblemsAndTheServiceIsNotReadyButAlive() {
        // given
        Health.awaitReady(port, Duration.ofSeconds(60));
        database.stopServer();
        try {
            // when
            long start = System.nanoTime();
            HttpResponse<String> read = get("/v1/calls", ADMIN_KEY);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            HttpResponse<String> webhook = twilioStatus("CA" + "0".repeat(32));
            HttpResponse<String> ready = get("/health/ready", null);
            // then: the API key lookup (a filter) and a controller both answer a problem to retry
            assertDatabaseUnavailable(read);
            assertThat(took).isLessThan(ANSWER_WITHIN);
            assertDatabaseUnavailable(webhook);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).get("checks").get("postgresql").booleanValue()).isFalse();
            assertThat(get("/health", null).statusCode()).isEqualTo(200);
        } finally {
            database.startServer();
        }
        // and once the server is back, the same process serves again
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(get("/v1/calls", ADMIN_KEY).statusCode()).isEqualTo(200);
        });
    }

    private static void assertDatabaseUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(json(response).get("type").stringValue()).isEqualTo(
                "https://sipai.dev/problems/database-unavailable");
    }

    private HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return send(request.build());
    }

    /** A signed Twilio status callback for a call the gateway would look up in the database. */
    private HttpResponse<String> twilioStatus(String callSid) {
        Map<String, String> form = Map.of("CallSid", callSid, "CallStatus", "completed");
        String signature = new TwilioSignature(TWILIO_TOKEN).sign(PUBLIC_BASE_URL + "/telephony/twilio/status",
                Map.of("CallSid", List.of(callSid), "CallStatus", List.of("completed")));
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).reduce((a, b) -> a + "&" + b).orElseThrow();
        return send(HttpRequest.newBuilder(uri("/telephony/twilio/status")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }
}
