package io.sipai.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.sipai.runtime.probe.ProbeApplication;
import io.sipai.testing.http.HostileHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The limits set through the environment reach Tomcat: here a header count of 20, 2 KiB of head and a 500 ms
 * header timeout, over a plain socket against the smallest service.
 */
@SpringBootTest(classes = ProbeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}", "http.max-header-count=20",
                "http.max-header-bytes=2048", "http.header-timeout-ms=500"})
class TomcatHttpLimitsTest {

    @LocalServerPort
    int port;

    @Test
    void givenMoreHeadersThanTheSetCount_whenSent_thenTomcatRefusesWith400AndCloses() {
        // given
        StringBuilder request = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 25; i++) {
            request.append("X-").append(i).append(": v\r\n");
        }
        // when
        HostileHttp.Outcome outcome = new HostileHttp(port).send(new HostileHttp.Attack("25 headers",
                request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII), false));
        // then
        assertThat(outcome.status()).isEqualTo(400);
        assertThat(outcome.closed()).isTrue();
    }

    @Test
    void givenAHeadOverTheSetSize_whenSent_thenTomcatRefusesWith400() {
        // when
        HostileHttp.Outcome outcome = new HostileHttp(port).send(new HostileHttp.Attack("3 KiB header",
                ("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(3_072) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII), false));
        // then
        assertThat(outcome.status()).isEqualTo(400);
    }

    @Test
    void givenAnHttp09Request_whenSent_thenTheAnswerIsEmptyAndTheConnectionClosed() {
        // when: HTTP/0.9 has no version, no headers; Tomcat would serve /health's body bare
        HostileHttp.Outcome outcome = new HostileHttp(port).send(new HostileHttp.Attack("HTTP/0.9",
                "GET /health\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false));
        // then
        assertThat(outcome.head()).isEmpty();
        assertThat(outcome.refusedCleanly()).isTrue();
    }

    @Test
    void givenASlowLorisClient_whenItPausesLongerThanTheHeaderTimeout_thenTomcatClosesTheConnection()
            throws IOException {
        // when: pauses well beyond the timeout, since Tomcat checks timeouts about once a second
        long open = new HostileHttp(port).slowLoris("/health", 2_500, 15_000);
        // then
        assertThat(open).isLessThan(5_000);
        assertThat(new HostileHttp(port).get("/health")).isEqualTo(200);
    }
}
