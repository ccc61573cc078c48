package io.sipai.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import io.sipai.gateway.testing.GatewayTest;
import io.sipai.testing.http.HardeningDrills;
import io.sipai.testing.http.HostileHttp;
import io.sipai.testing.http.JvmResources;
import org.junit.jupiter.api.Test;

/**
 * The gateway's Tomcat under hostile HTTP over plain sockets (the limits of {@code HttpLimits}, defaults): lying and
 * conflicting lengths, smuggling, oversize heads, HTTP/0.9, garbage, half-closed and slow-loris connections, and a
 * storm of 10,000 such connections. Every one is answered 4xx or closed, never 5xx, never left hanging; no thread
 * is held by a slow client; threads and heap come back to where they were; the service still answers.
 */
class HttpHardeningTest extends GatewayTest {

    private static final String REQUEST_PROCESSING = "org.apache.coyote.http11.Http11Processor";
    private static final List<String> PATHS = List.of("/v1/agents", "/telephony/twilio/voice", "/health");

    @Test
    void givenEachHostileRequest_whenSentOverARawSocket_thenItIsRefusedWithA4xxOrAClose() {
        // when each attack of the catalogue is sent on each path
        List<HostileHttp.Outcome> refusedBadly = HardeningDrills.catalogue(port, "api-gateway", PATHS);
        // then
        assertThat(refusedBadly).as("answers that are not a 4xx or a close").isEmpty();
        assertThat(new HostileHttp(port).get("/health")).isEqualTo(200);
    }

    @Test
    void givenSlowLorisClients_whenTheyPauseLongerThanTheHeaderTimeout_thenEachIsClosedAndNoneHoldsAThread()
            throws Exception {
        // given: the default HTTP_HEADER_TIMEOUT_MS, 10 s
        // when 100 clients pause 12 s in their request heads
        List<Long> openMs = HardeningDrills.slowLorisCrowd(port, "/v1/agents", 100, 12_000, 30_000, () ->
                // then: while 100 requests are half read, no Tomcat thread is inside a request
                assertThat(JvmResources.threadsIn(REQUEST_PROCESSING)).as("threads held").isLessThanOrEqualTo(2));
        System.out.println("RESULT api-gateway slow-loris: 100 clients closed after " + Collections.min(openMs)
                + "-" + Collections.max(openMs) + " ms (header timeout 10000 ms)");
        assertThat(openMs).allSatisfy(ms -> assertThat(ms).isBetween(9_000L, 12_000L));
        assertThat(new HostileHttp(port).get("/health")).isEqualTo(200);
    }

    @Test
    void givenTenThousandHostileConnections_whenTheyAreOver_thenThreadsAndHeapAreBackToTheBaseline() {
        // given: a first round brings the connector's thread pool to its working size
        HostileHttp http = new HostileHttp(port);
        List<HostileHttp.Attack> attacks = HostileHttp.small(HostileHttp.attacks("/v1/agents"));
        http.storm(attacks, "/v1/agents", 500, 16, 1);
        JvmResources before = JvmResources.measure();
        long start = System.nanoTime();
        // when
        List<HostileHttp.Outcome> failures = http.storm(attacks, "/v1/agents", 10_000, 16, 2);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // then
        JvmResources after = JvmResources.settle(before, 10, 32L << 20, () -> true, 10_000);
        System.out.println("RESULT api-gateway 10000 hostile connections in " + tookMs + " ms; before: " + before
                + "; after: " + after);
        assertThat(failures).as("answers that are not a 4xx or a close").isEmpty();
        assertThat(after.within(before, 10, 32L << 20)).as(after + " vs " + before).isTrue();
        assertThat(http.get("/health")).isEqualTo(200);
    }
}
