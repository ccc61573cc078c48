package io.sipai.gateway;

import java.time.Duration;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.gateway.testing.TestPostgres;
import io.sipai.testing.http.Health;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The api-gateway context starts against the module's one in-JVM broker and a real embedded PostgreSQL and turns ready. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.secrets.keys=" + GatewayTest.SECRETS_KEYS})
class ServiceContextTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void startsAndTurnsReady() {
        Health.awaitReady(port, Duration.ofSeconds(30));
    }
}
