package io.sipai.bench.api;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.schemas.Topics;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Open-loop load generator for the REST API against a running platform ({@code bin/sipai up}). Modes:
 * <ul>
 *   <li>{@code timeline <apiUrl> <apiKey> <kafka> <calls> <rate> <seconds>}: seeds {@code calls} calls (timeline +
 *   10 entries each, tenant {@code default}) through the real topics, waits until the projection served the last
 *   one, then requests {@code GET /v1/calls/{id}/timeline} of random calls at {@code rate}/s.</li>
 *   <li>{@code place <apiUrl> <apiKey> <agentId> <fakeJambonzPort> <rate> <seconds>}: starts a local fake jambonz
 *   create-call endpoint on the port (start the gateway with JAMBONZ_OUTCALL_URL pointing at it) and places calls
 *   with {@code POST /v1/calls} at {@code rate}/s (admission by the running stream-processors).</li>
 * </ul>
 * Requests are sent on a fixed schedule and latency is measured from the scheduled time, so a slow server cannot
 * hide its queueing (no coordinated omission). Prints p50/p99/max and the status counts.
 */
public final class ApiLoadGenerator {

    private static final int WARMUP_SECONDS = Integer.getInteger("warmup", 30);
    private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();

    private ApiLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 7 && "timeline".equals(args[0])) {
            List<String> ids = seed(args[3], Integer.parseInt(args[4]));
            awaitProjected(args[1], args[2], ids.getLast());
            awaitNoProjectionLag(args[1]);
            run(Integer.parseInt(args[5]), Integer.parseInt(args[6]), () -> HttpRequest.newBuilder(URI.create(
                    args[1] + "/v1/calls/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))
                            + "/timeline?limit=100")).header("X-API-Key", args[2]).build());
        } else if (args.length == 7 && "place".equals(args[0])) {
            fakeJambonz(Integer.parseInt(args[4]));
            String body = "{\"to\":\"+14155550100\",\"from\":\"+14155550199\",\"agentId\":\"" + args[3] + "\"}";
            run(Integer.parseInt(args[5]), Integer.parseInt(args[6]), () -> HttpRequest.newBuilder(
                    URI.create(args[1] + "/v1/calls")).header("X-API-Key", args[2])
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            System.exit(0);
        } else {
            System.err.println("usage: timeline <apiUrl> <apiKey> <kafka> <calls> <rate> <seconds>\n"
                    + "       place <apiUrl> <apiKey> <agentId> <fakeJambonzPort> <rate> <seconds>");
            System.exit(2);
        }
    }

    private static List<String> seed(String kafka, int calls) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 20),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int c = 0; c < calls; c++) {
                String callId = UUID.randomUUID().toString();
                ids.add(callId);
                Instant now = Instant.now();
                for (int seq = 1; seq <= 10; seq++) {
                    CallEvent event = CallEvent.newBuilder().setEventId(callId + "-" + seq).setCallId(callId)
                            .setTenantId("default").setOccurredAt(now).setSource(EventSource.REALTIME_EDGE)
                            .setPayload(new CallRequested(CallDirection.INBOUND, Transport.WEBSOCKET, "+1", "+2",
                                    Map.of())).build();
                    send(producer, Topics.CALL_TIMELINE_ENTRIES.name(), callId, Topics.CALL_TIMELINE_ENTRIES
                            .valueSerde().serializer().serialize("", new TimelineEntry(callId, "default", (long) seq,
                                    event.getEventId(), "CallRequested", now, event)));
                }
                send(producer, Topics.CALL_TIMELINE.name(), callId, Topics.CALL_TIMELINE.valueSerde().serializer()
                        .serialize("", CallTimeline.newBuilder().setCallId(callId).setTenantId("default")
                                .setStatus(CallStatus.ENDED).setDirection(CallDirection.INBOUND)
                                .setTransport(Transport.WEBSOCKET).setRequestedAt(now).setEntryCount(10)
                                .setLastEventId(callId + "-10").setLastEventAt(now).setVersion(10).build()));
            }
            producer.flush();
        }
        return ids;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static void awaitProjected(String api, String key, String callId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/calls/" + callId + "/timeline"))
                .header("X-API-Key", key).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().indexOf("\"seq\":10") < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("projection did not catch up in 5 minutes");
            }
            Thread.sleep(500);
        }
    }

    /** Waits until the gateway's projector has nothing left to project, so seeding does not compete with reads. */
    private static void awaitNoProjectionLag(String api) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/metrics")).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .anyMatch(line -> line.startsWith("sipai_projection_lag_records") && line.endsWith(" 0.0"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("projection lag did not reach 0 in 5 minutes");
            }
            Thread.sleep(500);
        }
    }

    private static void run(int rate, int seconds, java.util.function.Supplier<HttpRequest> next) throws Exception {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(30), 3);
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        // The first WARMUP_SECONDS run at the same rate but are not recorded: JIT and connection pools warm up.
        long warmup = (long) rate * WARMUP_SECONDS;
        for (long i = -warmup; i < (long) rate * seconds; i++) {
            long scheduled = start + (i + warmup) * interval;
            boolean recorded = i >= 0;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.add(HTTP.sendAsync(next.get(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                if (!recorded) {
                    return;
                }
                synchronized (histogram) {
                    histogram.recordValue((System.nanoTime() - scheduled) / 1_000);
                }
                statuses.merge(e == null ? r.statusCode() : -1, 1, Integer::sum);
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        System.out.printf(Locale.ROOT, "requests=%d rate=%d/s p50=%.2f ms p99=%.2f ms max=%.2f ms statuses=%s%n",
                histogram.getTotalCount(), rate, histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0, statuses);
    }

    private static void fakeJambonz(int port) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = ("{\"sid\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }
}
