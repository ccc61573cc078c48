package io.sipai.edge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import io.sipai.common.AdmissionLimit;
import io.sipai.edge.EdgeApplication;
import io.sipai.schemas.telephony.TelephonyToken;
import io.sipai.testing.kafka.AdmissionResponder;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the edge's integration tests: one shared realtime-edge context on a random port against the JVM's real
 * broker, with known credentials, the admission stand-in running and the providers' REST APIs faked on loopback
 * ({@link FakeTelephonyApis}).
 */
@SpringBootTest(classes = EdgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "realtime.api-key=" + EdgeIntegrationTest.DEFAULT_KEY + ",acme:" + EdgeIntegrationTest.ACME_KEY
                        + ",full:full-key-0001,silent:silent-key-0001,late:late-key-0001",
                "realtime.ws-secret=" + EdgeIntegrationTest.WS_SECRET,
                "realtime.allowed-origins=https://app.example.com",
                "telephony.token-secret=" + EdgeIntegrationTest.TOKEN_SECRET,
                "twilio.auth-token=" + EdgeIntegrationTest.TWILIO_TOKEN,
                "edge.admission-timeout-ms=1500", "edge.heartbeat-interval-sec=1",
                "edge.slow-reader-timeout-ms=1000", "edge.node-name=edge-test-1",
                "jambonz.token=" + FakeTelephonyApis.JAMBONZ_TOKEN,
                "jambonz.webhook-secret=" + FakeTelephonyApis.JAMBONZ_WEBHOOK_SECRET,
                "webhook.allowed-hosts=127.0.0.1",
                "edge.transfer-timeout-ms=" + EdgeIntegrationTest.TRANSFER_TIMEOUT_MS,
                "voice.transfer-grace-ms=" + EdgeIntegrationTest.TRANSFER_GRACE_MS, "voice.warm-up-calls=0"})
public abstract class EdgeIntegrationTest {

    public static final String DEFAULT_KEY = "default-key-0001";
    public static final String ACME_KEY = "acme-key-0001";
    public static final String WS_SECRET = "ws-secret-0123456789";
    public static final String TOKEN_SECRET = "telephony-secret-0123456789abcdef";
    public static final String TWILIO_TOKEN = "twilio-auth-token-test";
    /** EDGE_TRANSFER_TIMEOUT_MS of the test context: a provider's transfer answer is waited for this long. */
    public static final int TRANSFER_TIMEOUT_MS = 1500;
    /**
     * VOICE_TRANSFER_GRACE_MS of the test context: after an accepted transfer the provider ends the stream, or the
     * edge does after this long.
     */
    public static final int TRANSFER_GRACE_MS = 2000;

    /** What api-gateway does: mints with the shared contract class. */
    protected static final TelephonyToken MINTER = new TelephonyToken(TOKEN_SECRET);

    @LocalServerPort
    protected int port;

    /** The providers' REST APIs are loopback fakes; their ports are known only once they run. */
    @DynamicPropertySource
    static void providerApis(DynamicPropertyRegistry registry) {
        registry.add("twilio.api-base-url", () -> FakeTelephonyApis.get().twilioBaseUrl());
        registry.add("jambonz.outcall-url", () -> FakeTelephonyApis.get().jambonzOutcallUrl());
        registry.add("recordings.store", () -> RECORDINGS.toUri().toString());
    }

    /** RECORDINGS_STORE of the test context: one directory for the whole run. */
    protected static final Path RECORDINGS = recordingsDirectory();

    private static Path recordingsDirectory() {
        try {
            return Files.createTempDirectory("edge-recordings");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tenant whose calls admission rejects (tenant limit). */
    public static final String FULL_TENANT = "full";
    /** Tenant whose admission requests get no answer. */
    public static final String SILENT_TENANT = "silent";
    /**
     * Tenant (key {@code late-key-0001}) whose admission a test takes down and brings back
     * ({@link AdmissionResponder#HELD}, {@link AdmissionResponder#answerHeld}).
     */
    public static final String LATE_TENANT = "late";

    @BeforeAll
    static void admissionStandIn() {
        AdmissionResponder.REJECT.put(FULL_TENANT, AdmissionLimit.TENANT);
        AdmissionResponder.SILENT.add(SILENT_TENANT);
        AdmissionResponder.start();
    }

    protected URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
    }

    protected static String token(String callId, String tenantId) {
        return token(callId, tenantId, null);
    }

    /** A per-call token as api-gateway mints it: bound to the call, the tenant and the agent (null: none). */
    protected static String token(String callId, String tenantId, String agentId) {
        return MINTER.mint(callId, tenantId, agentId, Instant.now().plusSeconds(60));
    }
}
