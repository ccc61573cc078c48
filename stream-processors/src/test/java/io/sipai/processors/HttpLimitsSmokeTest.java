package io.sipai.processors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sipai.testing.http.HostileHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * stream-processors serves health, metrics and the admission counters, internally, but runs with the same HTTP
 * limits as the public services ({@code HttpLimits} on Tomcat): the raw-socket catalogue against
 * {@code /admission/counters} is refused with a 4xx or a close, a request over the header count is refused, and the
 * service still answers. The context is closed after the class so its Streams apps stop.
 */
@SpringBootTest(classes = ProcessorsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "processors.application-id-prefix=http-limits-test"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HttpLimitsSmokeTest {

    @LocalServerPort
    int port;

    @Test
    void givenHostileRequestsOnTheCountersEndpoint_whenSent_thenEachIsRefusedAndTheServiceStillAnswers() {
        // given
        HostileHttp http = new HostileHttp(port);
        StringBuilder tooMany = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 101; i++) {
            tooMany.append("X-").append(i).append(": v\r\n");
        }
        // when
        List<HostileHttp.Outcome> outcomes = HostileHttp.attacks("/admission/counters").stream().map(http::send)
                .toList();
        HostileHttp.Outcome overCount = http.send(new HostileHttp.Attack("101 headers",
                tooMany.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII), false));
        // then
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.refusedCleanly()).as(outcome.toString())
                .isTrue());
        assertThat(overCount.status()).isEqualTo(400);
        assertThat(http.get("/health")).isEqualTo(200);
    }
}
