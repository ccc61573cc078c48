package io.sipai.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.sipai.dispatcher.testing.MasterKeys;
import io.sipai.testing.http.HostileHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The dispatcher serves only health and metrics, internally, but runs with the same HTTP limits as the public
 * services ({@code HttpLimits} on Tomcat): the raw-socket catalogue against {@code /health} is refused with a 4xx or
 * a close, a request over the header count is refused, and the service still answers. Its own Streams application id,
 * so the group it leaves behind (Streams members do not leave on close) does not delay the next context's.
 */
@DirtiesContext
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
                "sipai.secrets.keys=" + MasterKeys.KEYS, "webhook.application-id=webhook-dispatcher-http-limits"})
class HttpLimitsSmokeTest {

    @LocalServerPort
    int port;

    @Test
    void givenHostileRequestsOnTheHealthEndpoint_whenSent_thenEachIsRefusedAndTheServiceStillAnswers() {
        // given
        HostileHttp http = new HostileHttp(port);
        StringBuilder tooMany = new StringBuilder("GET /health HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 101; i++) {
            tooMany.append("X-").append(i).append(": v\r\n");
        }
        // when
        List<HostileHttp.Outcome> outcomes = HostileHttp.attacks("/health").stream().map(http::send).toList();
        HostileHttp.Outcome overCount = http.send(new HostileHttp.Attack("101 headers",
                tooMany.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII), false));
        // then
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.refusedCleanly()).as(outcome.toString())
                .isTrue());
        assertThat(overCount.status()).isEqualTo(400);
        assertThat(http.get("/health")).isEqualTo(200);
    }
}
