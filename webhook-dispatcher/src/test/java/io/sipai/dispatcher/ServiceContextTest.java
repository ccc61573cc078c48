package io.sipai.dispatcher;

import java.time.Duration;

import io.sipai.dispatcher.testing.MasterKeys;
import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The webhook-dispatcher context starts against the module's one in-JVM broker and turns ready. */
@org.springframework.test.annotation.DirtiesContext
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.secrets.keys=" + MasterKeys.KEYS})
class ServiceContextTest {

    @LocalServerPort
    int port;

    @Test
    void startsAndTurnsReady() {
        Health.awaitReady(port, Duration.ofSeconds(30));
    }
}
