package io.sipai.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sipai.gateway.GatewayApplication;
import io.sipai.gateway.db.internal.RotatingCredentialsDataSource;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.testing.http.Health;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database password rotates while the gateway serves requests: PostgreSQL gets a new password for the
 * gateway's role, the store the gateway reads it from (a subclass: a file, Secrets Manager) gets it too, and the
 * role's sessions are cut so the pool must open new connections. Requests keep succeeding, without a restart;
 * while the store still holds a refused password, requests answer 503 {@code database-unavailable} and the log
 * says which store to update, and updating it ends the outage. Each subclass runs a gateway of its own on a role
 * of the module's PostgreSQL that must log in with its password.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.admin-api-key=" + PasswordRotationScenario.ADMIN_KEY, "db.connect-timeout-sec=1",
                "db.pool-size=4", "sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS,
                "api.rate-limit-per-second=100000", "api.tenant-rate-limit-per-second=100000"})
@DirtiesContext
abstract class PasswordRotationScenario {

    static final String ADMIN_KEY = "sk_rotation_admin_key_0123456789abcdef";
    /** Request pairs (a write and a read) sent after a rotation. */
    private static final int REQUEST_PAIRS = 30;
    /** Hikari checks a pooled connection before lending it only when it was idle longer than 500 ms. */
    private static final Duration POOL_NOTICES_CUT_SESSIONS = Duration.ofSeconds(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @LocalServerPort
    int port;

    /** The role the gateway logs in as. */
    abstract PasswordLoginRole role();

    /** Puts the password into the store the gateway reads it from. */
    abstract void store(String password);

    /** The store as the gateway's log names it. */
    abstract String storeName();

    /** What the store is, for the RESULT line. */
    abstract String source();

    /** How often the store was read so far, or -1 where it does not count reads. */
    abstract int storeReads();

    static String newPassword() {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return "pw-" + HexFormat.of().formatHex(random);
    }

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(RotatingCredentialsDataSource.class)).addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        ((Logger) LoggerFactory.getLogger(RotatingCredentialsDataSource.class)).detachAppender(log);
    }

    @Test
    void givenAServingGateway_whenThePasswordIsRotatedInPostgresqlAndTheStore_thenRequestsKeepSucceeding() {
        // given
        Health.awaitReady(port, Duration.ofSeconds(60));
        assertThat(failures(3)).isZero();
        int readsBefore = storeReads();
        // when
        String rotated = newPassword();
        role().changePassword(rotated);
        store(rotated);
        int cut = role().terminateSessions();
        sleep(POOL_NOTICES_CUT_SESSIONS);
        long start = System.nanoTime();
        int failed = failures(REQUEST_PAIRS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int reads = readsBefore < 0 ? -1 : storeReads() - readsBefore;
        // then: not one request failed, on connections opened with the new password
        System.out.printf(Locale.ROOT, "RESULT db-password-rotation source=%s sessions-cut=%d failed=%d/%d "
                + "store-reads=%d requests-took-ms=%d%n", source(), cut, failed, 2 * REQUEST_PAIRS, reads,
                took.toMillis());
        assertThat(cut).isPositive();
        assertThat(failed).isZero();
        assertThat(role().sessions()).isPositive();
        if (readsBefore >= 0) {
            // the pool refilling all its connections read the store once
            assertThat(reads).isEqualTo(1);
        }
        assertThat(log.list).noneMatch(event -> event.getLevel() == Level.ERROR)
                .anyMatch(event -> event.getFormattedMessage().contains("the login from " + storeName()
                        + " changed"));
        assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains(rotated));
    }

    @Test
    void givenTheStoreStillHoldsTheOldPassword_whenPostgresqlRefusesIt_thenRequestsFailClearlyUntilTheStoreIsUpdated() {
        // given
        Health.awaitReady(port, Duration.ofSeconds(60));
        String rotated = newPassword();
        role().changePassword(rotated);
        role().terminateSessions();
        sleep(POOL_NOTICES_CUT_SESSIONS);
        // when
        HttpResponse<String> refused = get("/v1/calls");
        // then: a problem to retry, and one log line that names the store to update
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(json(refused).get("type").stringValue()).isEqualTo(
                "https://sipai.dev/problems/database-unavailable");
        assertThat(log.list).filteredOn(event -> event.getLevel() == Level.ERROR).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage())
                        .contains("postgresql refused the login of user " + role().name()
                                + " with the password from " + storeName())
                        .contains("SQLState 28P01").contains("update it"));
        // and when the store is updated, the same process serves again
        store(rotated);
        long updated = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/v1/calls").statusCode() == 200);
        Duration recovered = Duration.ofNanos(System.nanoTime() - updated);
        System.out.printf(Locale.ROOT, "RESULT db-password-store-updated-late source=%s recovered-ms=%d%n",
                source(), recovered.toMillis());
        assertThat(failures(5)).isZero();
        assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains(rotated));
    }

    /** Sends {@code pairs} times a write (a new agent) and a read (calls); returns how many did not succeed. */
    private int failures(int pairs) {
        int failed = 0;
        for (int i = 0; i < pairs; i++) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/v1/agents"))
                    .header("X-API-Key", ADMIN_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ava\",\"greeting\":\"Hello\"}")));
            failed += created.statusCode() == 201 ? 0 : 1;
            failed += get("/v1/calls").statusCode() == 200 ? 0 : 1;
        }
        return failed;
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", ADMIN_KEY).GET());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
