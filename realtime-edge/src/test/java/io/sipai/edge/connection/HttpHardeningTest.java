package io.sipai.edge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.sipai.edge.testing.EdgeIntegrationTest;
import io.sipai.testing.http.HardeningDrills;
import io.sipai.testing.http.HostileHttp;
import io.sipai.testing.http.JvmResources;
import io.sipai.testing.ws.RawWs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The edge's Jetty under hostile HTTP over plain sockets (the shared {@code HttpLimits}, defaults): lying and
 * conflicting lengths, smuggling, oversize heads, HTTP/0.9, garbage, half-closed and slow-loris connections; then
 * 10,000 hostile connections, half HTTP, half WebSocket upgrades with fuzzed frames. Every one is answered 4xx or
 * closed, never 5xx, never left hanging; threads and heap come back to the baseline and no connection stays open.
 */
class HttpHardeningTest extends EdgeIntegrationTest {

    private static final List<String> PATHS = List.of("/health", "/realtime/voice", "/telephony/twilio/stream");
    private static final String REQUEST_PROCESSING = "org.eclipse.jetty.server.internal.HttpConnection";

    @Autowired
    private DrainController connections;

    @Test
    void givenEachHostileRequest_whenSentOverARawSocket_thenItIsRefusedWithA4xxOrAClose() {
        // when each attack of the catalogue is sent on each path
        List<HostileHttp.Outcome> refusedBadly = HardeningDrills.catalogue(port, "realtime-edge", PATHS);
        // then
        assertThat(refusedBadly).as("answers that are not a 4xx or a close").isEmpty();
        assertThat(new HostileHttp(port).get("/health")).isEqualTo(200);
    }

    @Test
    void givenSlowLorisClients_whenTheyPauseLongerThanTheHeaderTimeout_thenEachIsClosedAndNoneHoldsAThread()
            throws Exception {
        // given: the default HTTP_HEADER_TIMEOUT_MS, 10 s
        // when 100 clients pause 12 s in their request heads
        List<Long> openMs = HardeningDrills.slowLorisCrowd(port, "/realtime/voice", 100, 12_000, 30_000, () ->
                // then: while 100 requests are half read, no Jetty thread is inside a request
                assertThat(JvmResources.threadsIn(REQUEST_PROCESSING)).as("threads held").isLessThanOrEqualTo(2));
        System.out.println("RESULT realtime-edge slow-loris: 100 clients closed after " + Collections.min(openMs)
                + "-" + Collections.max(openMs) + " ms (header timeout 10000 ms)");
        assertThat(openMs).allSatisfy(ms -> assertThat(ms).isBetween(9_000L, 12_000L));
        assertThat(new HostileHttp(port).get("/health")).isEqualTo(200);
    }

    @Test
    void givenTenThousandHostileConnections_whenTheyAreOver_thenThreadsHeapAndOpenConnectionsAreBackToTheBaseline()
            throws Exception {
        // given: a first round warms the server up
        HostileHttp http = new HostileHttp(port);
        List<HostileHttp.Attack> attacks = HostileHttp.small(HostileHttp.attacks("/realtime/voice"));
        http.storm(attacks, "/realtime/voice", 250, 16, 1);
        fuzzedWebSockets(250, 16, 1);
        JvmResources before = JvmResources.measure();
        long start = System.nanoTime();
        // when
        List<String> failures = new ArrayList<>();
        http.storm(attacks, "/realtime/voice", 5_000, 16, 2).forEach(outcome -> failures.add(outcome.toString()));
        failures.addAll(fuzzedWebSockets(5_000, 16, 2));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        // then
        JvmResources after = JvmResources.settle(before, 10, 32L << 20, () -> connections.openConnections() == 0,
                15_000);
        System.out.println("RESULT realtime-edge 10000 hostile connections (5000 HTTP, 5000 WebSocket) in " + tookMs
                + " ms; before: " + before + "; after: " + after + "; open connections: "
                + connections.openConnections());
        assertThat(failures).as("connections not refused cleanly").isEmpty();
        assertThat(connections.openConnections()).as("open WebSocket connections").isZero();
        assertThat(after.within(before, 10, 32L << 20)).as(after + " vs " + before).isTrue();
        assertThat(http.get("/health")).isEqualTo(200);
    }

    /** Upgrades {@code count} connections and sends each fuzzed frames; returns those that ended badly. */
    private List<String> fuzzedWebSockets(int count, int parallel, long seed) throws InterruptedException {
        Random random = new Random(seed);
        List<byte[]> planned = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            planned.add(FrameFuzz.next(random));
        }
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (byte[] frames : planned) {
                pool.execute(() -> {
                    try (RawWs ws = new RawWs(port, "/realtime/voice?api_key=" + ACME_KEY, 65_536)) {
                        ws.send(frames);
                        ws.shutdownOutput();
                        int code = ws.readCloseCode();
                        if (code == 1011) {
                            failures.add("1011 after " + FrameFuzz.hex(frames));
                        }
                    } catch (IOException e) {
                        failures.add(e + " after " + FrameFuzz.hex(frames));
                    }
                });
            }
        }
        return failures;
    }
}
