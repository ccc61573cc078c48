package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.sipai.gateway.GatewayApplication;
import io.sipai.gateway.calls.LiveTimelineTest.SseClient;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.TestPostgres;
import io.sipai.testing.kafka.TestKafka;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A gateway that shuts down (a rolling deploy) ends its open live streams first instead of letting the web server's
 * graceful shutdown wait its whole timeout for them: a tenant's stream never ends by itself. The client sees its
 * stream close and resumes on another instance with Last-Event-ID.
 */
class LiveStreamsShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aGatewayWithAnOpenTenantStreamStopsWithinSecondsAndTheStreamCloses() throws Exception {
        // given a running gateway with a client on its tenant stream
        ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--kafka.bootstrap-servers=" + TestKafka.brokers(),
                "--db.url=" + TestPostgres.server().getJdbcUrl("postgres", "postgres"), "--db.user=postgres",
                "--db.password=", "--sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS,
                "--sipai.admin-api-key=" + GatewayTest.ADMIN_KEY);
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        try (SseClient client = SseClient.onPath(port, "/v1/calls/events", GatewayTest.ADMIN_KEY, null)) {
            assertThat(client.next(WAIT).name()).isEqualTo("ready");

            // when the gateway shuts down
            long started = System.nanoTime();
            gateway.close();

            // then it is done in seconds (not the 30 s graceful shutdown timeout) and the stream closed
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }
}
