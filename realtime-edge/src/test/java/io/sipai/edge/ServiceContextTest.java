package io.sipai.edge;

import java.time.Duration;

import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The realtime-edge context starts against the module's one in-JVM broker and turns ready. */
@SpringBootTest(classes = EdgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "twilio.auth-token=context-twilio-token"})
class ServiceContextTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndTurnsReady() {
        Health.awaitReady(port, Duration.ofSeconds(30));
    }
}
