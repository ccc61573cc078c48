package io.sipai.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.GatewayApplication;
import io.sipai.testing.kafka.AdmissionResponder;
import io.sipai.testing.kafka.TestKafka;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: one gateway context (shared by every subclass through Spring's context cache)
 * on the JVM's embedded broker and PostgreSQL, a local fake jambonz, the in-test admission responder, and HTTP
 * helpers over loopback.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.admin-api-key=" + GatewayTest.ADMIN_KEY,
                "jambonz.webhook-secret=" + GatewayTest.JAMBONZ_SECRET,
                "jambonz.token=" + FakeJambonz.TOKEN, "jambonz.app-sid=app-1",
                "twilio.account-sid=ACtest", "twilio.auth-token=" + GatewayTest.TWILIO_TOKEN,
                "telephony.token-secret=" + GatewayTest.TOKEN_SECRET,
                "sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS,
                "telephony.webhook-base-url=" + GatewayTest.PUBLIC_BASE_URL,
                "api.admission-timeout-ms=1500", "api.max-body-bytes=4096",
                // Every test shares the address 127.0.0.1 and many share the root tenant: limits out of their way.
                "api.auth-failure-burst=1000000", "api.tenant-rate-limit-per-second=1000000",
                "api.max-keys-per-tenant=100000",
                // The trace store is on, as in the one-machine run (TracesApiTest).
                "api.traces.receiver=true",
                // The SSRF guard resolves subscription hosts; example.com stands for a public host without DNS.
                "webhook.allowed-hosts=example.com",
                // Post-call analyses: the local OpenAI endpoint, retried fast.
                "openai.api-key=sk-test-openai", "analysis.retry-base-ms=50", "analysis.max-attempts=3",
                "analysis.poll-interval-ms=50"})
public abstract class GatewayTest {

    public static final String ADMIN_KEY = "sk_test_admin_key_0123456789abcdef";
    public static final String JAMBONZ_SECRET = "my-webhook-secret";
    public static final String TWILIO_TOKEN = "12345";
    public static final String TOKEN_SECRET = "0123456789abcdef0123456789abcdef";
    /** SIPAI_SECRETS_KEYS: the master key webhook secrets are sealed under (bytes 0..31). */
    public static final String SECRETS_KEYS = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /** TELEPHONY_WEBHOOK_BASE_URL: the gateway as the providers see it (behind a proxy); Twilio signs this URL. */
    public static final String PUBLIC_BASE_URL = "https://gw.example.com";
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
        TestKafka.ensureTopics();
        AdmissionResponder.start();
        registry.add("jambonz.outcall-url", FakeJambonz::url);
        registry.add("twilio.api-base-url", FakeTwilio::baseUrl);
        registry.add("recordings.store", () -> RECORDINGS.toUri().toString());
        registry.add("openai.base-url", FakeOpenAi::baseUrl);
    }

    /** RECORDINGS_STORE of the test context: one directory for the whole run. */
    protected static final Path RECORDINGS = recordingsDirectory();

    private static Path recordingsDirectory() {
        try {
            return Files.createTempDirectory("gateway-recordings");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An HTTP answer with its body parsed when it is JSON. */
    public record Answer(int status, HttpResponse<String> response, JsonNode json) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    protected Answer call(String method, String path, String key, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (key != null) {
                request.header("X-API-Key", key);
            }
            String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(text));
            if (text != null) {
                request.header("Content-Type", "application/json");
            }
            return answer(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected Answer send(HttpRequest request) {
        try {
            return answer(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer answer(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.contains("json") && !response.body().isEmpty() ? JSON.readTree(response.body()) : null;
        return new Answer(response.statusCode(), response, json);
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A jambonz webhook with a valid {@code Jambonz-Signature} over the body. */
    protected Answer signedJambonz(String path, String body) {
        return signedJambonz(path, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A jambonz webhook of any bytes, signed as jambonz would sign them. */
    protected Answer signedJambonz(String path, byte[] body) {
        long t = java.time.Instant.now().getEpochSecond();
        String signature = "t=" + t + ",v1=" + io.sipai.schemas.telephony.JambonzSignature.sign(JAMBONZ_SECRET, t,
                body);
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Jambonz-Signature", signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A Twilio webhook, form-encoded, signed over {@link #PUBLIC_BASE_URL} + path as Twilio would sign it. */
    protected Answer signedTwilio(String pathAndQuery, Map<String, String> params) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        params.forEach((name, value) -> form.put(name, List.of(value)));
        String signature = new io.sipai.schemas.telephony.TwilioSignature(TWILIO_TOKEN)
                .sign(PUBLIC_BASE_URL + pathAndQuery, form);
        String body = params.entrySet().stream().map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(),
                java.nio.charset.StandardCharsets.UTF_8)).collect(java.util.stream.Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The tenant id of a key. */
    protected String tenantOf(String key) {
        return call("GET", "/v1/api-keys", key, null).json().get("data").get(0).get("tenantId").stringValue();
    }

    /** A new tenant; returns its admin key. */
    protected String newTenant(String name) {
        Answer created = call("POST", "/v1/tenants", ADMIN_KEY, Map.of("name", name));
        if (created.status() != 201) {
            throw new IllegalStateException(created.response().body());
        }
        return created.json().get("apiKey").stringValue();
    }

    /** A key of the caller's tenant with the given scopes. */
    protected String newKey(String adminKey, List<String> scopes) {
        return call("POST", "/v1/api-keys", adminKey, Map.of("name", "k", "scopes", scopes)).json().get("key")
                .stringValue();
    }

    /** A minimal agent of the caller's tenant; returns its id. */
    protected String newAgent(String key) {
        Answer agent = call("POST", "/v1/agents", key, Map.of("name", "Ava", "greeting", "Hello"));
        if (agent.status() != 201) {
            throw new IllegalStateException(agent.response().body());
        }
        return agent.json().get("id").stringValue();
    }
}
