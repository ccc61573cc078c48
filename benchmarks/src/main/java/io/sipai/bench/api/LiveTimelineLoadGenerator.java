package io.sipai.bench.api;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.events.TranscriptChunk;
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
 * How soon an open console sees a call's events: {@code clients} Server-Sent Event streams
 * ({@code GET /v1/calls/{id}/events}, as the console reads them) spread over {@code calls} calls, while timeline
 * entries are written to {@code call.timeline-entries.v1} at {@code rate} per second per call, as stream-processors
 * writes them. Each entry's latency is from its send to the broker to its arrival on each stream (one JVM, one
 * clock), through the gateway's projection into PostgreSQL and the streams' polling. Prints p50/p99/max over every
 * (stream, entry). Run against {@code bin/sipai up}:
 * {@code java -cp benchmarks/target/benchmarks.jar io.sipai.bench.api.LiveTimelineLoadGenerator
 * http://127.0.0.1:8080 <apiKey> 127.0.0.1:9092 <clients> <calls> <rate> <seconds>}.
 */
public final class LiveTimelineLoadGenerator {

    private static final HttpClient HTTP = HttpClient.newBuilder().executor(
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();

    private LiveTimelineLoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: <apiUrl> <apiKey> <kafka> <clients> <calls> <rate per call> <seconds>");
            System.exit(2);
        }
        String api = args[0];
        String key = args[1];
        int clients = Integer.parseInt(args[3]);
        int calls = Integer.parseInt(args[4]);
        int rate = Integer.parseInt(args[5]);
        int seconds = Integer.parseInt(args[6]);
        int entries = rate * seconds;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[2], ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<String> callIds = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                String callId = "sse-" + UUID.randomUUID();
                callIds.add(callId);
                send(producer, Topics.CALL_TIMELINE.name(), callId, Topics.CALL_TIMELINE.valueSerde().serializer()
                        .serialize("", CallTimeline.newBuilder().setCallId(callId).setTenantId("default")
                                .setStatus(CallStatus.IN_PROGRESS).setDirection(CallDirection.INBOUND)
                                .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(1)
                                .setLastEventId(callId + "-1").setLastEventAt(Instant.now()).setVersion(1).build()));
                entry(producer, callId, 1, new CallRequested(CallDirection.INBOUND, Transport.WEBSOCKET, "+1", "+2",
                        Map.of()));
            }
            producer.flush();
            for (String callId : callIds) {
                awaitCall(api, key, callId);
            }

            // every stream first receives entry 1, then the measured entries as they are written
            Map<String, long[]> sentNanos = new ConcurrentHashMap<>();
            callIds.forEach(id -> sentNanos.put(id, new long[entries + 2]));
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
            CountDownLatch ready = new CountDownLatch(clients);
            CountDownLatch done = new CountDownLatch(clients);
            AtomicInteger failed = new AtomicInteger();
            for (int i = 0; i < clients; i++) {
                String callId = callIds.get(i % calls);
                Thread.ofVirtual().start(() -> stream(api, key, callId, sentNanos.get(callId), histogram, ready,
                        done, failed));
            }
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("streams did not open within 60 s");
            }
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int seq = 2; seq <= entries + 1; seq++) {
                long scheduled = start + (seq - 2) * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                for (String callId : callIds) {
                    sentNanos.get(callId)[seq] = System.nanoTime();
                    entry(producer, callId, seq, new TranscriptChunk("hello " + seq, seq % 5 == 0, 0.9f, 0L, 100L,
                            1, "bench"));
                }
            }
            for (String callId : callIds) {
                entry(producer, callId, entries + 2, new CallEnded(EndReason.CALLER_HANGUP, null, 1_000L));
            }
            producer.flush();
            boolean ended = done.await(60, TimeUnit.SECONDS);
            System.out.printf(Locale.ROOT, "streams=%d calls=%d entries=%d per call at %d/s: deliveries=%d "
                            + "p50=%.1f ms p99=%.1f ms max=%.1f ms; streams failed=%d, all ended=%s%n", clients, calls,
                    entries, rate, histogram.getTotalCount(), histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0, failed.get(),
                    ended);
        }
        System.exit(0);
    }

    private static void stream(String api, String key, String callId, long[] sentNanos, Histogram histogram,
                               CountDownLatch ready, CountDownLatch done, AtomicInteger failed) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/calls/" + callId + "/events"))
                .header("X-API-Key", key).header("Accept", "text/event-stream").build();
        boolean counted = false;
        try {
            HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("status " + response.statusCode());
            }
            int seq = -1;
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.startsWith("id:")) {
                    seq = Integer.parseInt(line.substring(3).strip());
                } else if (line.startsWith("event: end") || line.startsWith("event:end")) {
                    break;
                } else if (line.isEmpty() && seq > 0) {
                    long arrived = System.nanoTime();
                    if (seq == 1 && !counted) {
                        counted = true;
                        ready.countDown();
                    } else if (seq < sentNanos.length && sentNanos[seq] > 0) {
                        synchronized (histogram) {
                            histogram.recordValue(Math.max(0, (arrived - sentNanos[seq]) / 1_000));
                        }
                    }
                    seq = -1;
                }
            }
        } catch (Exception e) {
            failed.incrementAndGet();
            System.err.println("stream of " + callId + " failed: " + e);
        } finally {
            if (!counted) {
                ready.countDown();
            }
            done.countDown();
        }
    }

    private static void entry(KafkaProducer<byte[], byte[]> producer, String callId, long seq, Object payload) {
        Instant now = Instant.now();
        CallEvent event = CallEvent.newBuilder().setEventId(callId + "-" + seq).setCallId(callId)
                .setTenantId("default").setOccurredAt(now).setSource(EventSource.REALTIME_EDGE).setPayload(payload)
                .build();
        send(producer, Topics.CALL_TIMELINE_ENTRIES.name(), callId, Topics.CALL_TIMELINE_ENTRIES.valueSerde()
                .serializer().serialize("", new TimelineEntry(callId, "default", seq, event.getEventId(),
                        payload.getClass().getSimpleName(), now, event)));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static void awaitCall(String api, String key, String callId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/v1/calls/" + callId + "/timeline"))
                .header("X-API-Key", key).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().indexOf("\"seq\":1") < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("call " + callId + " not projected in 2 minutes");
            }
            Thread.sleep(200);
        }
    }
}
