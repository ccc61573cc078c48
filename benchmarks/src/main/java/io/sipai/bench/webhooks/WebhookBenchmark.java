package io.sipai.bench.webhooks;


import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sipai.bench.admission.LocalStack;
import io.sipai.common.EventSource;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.DispatcherConfiguration;
import io.sipai.dispatcher.DispatcherSettings;
import io.sipai.dispatcher.DispatcherStreams;
import io.sipai.dispatcher.delivery.internal.DeliveryWorker;
import io.sipai.dispatcher.delivery.internal.HttpPoster;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.internal.TopicLeaders;
import io.sipai.dispatcher.retry.RetryPolicy;
import io.sipai.dispatcher.signing.SigningKeys;
import io.sipai.events.CallEvent;
import io.sipai.events.DtmfReceived;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.WebhookAttempt;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Load generator for the webhook dispatcher (fan-out + scheduler + worker, exactly_once_v2, in this JVM) against
 * a loopback HTTP receiver. Events are written as the timeline entries the dispatcher fans out
 * (call.timeline-entries.v1, as stream-processors writes them once a call's timeline accepted the event): (1)
 * throughput: a backlog of events (10 per call) is written first, then the dispatcher is started and deliveries/s
 * from first to last delivery are measured; (2) latency: events at a fixed rate, from the event's occurredAt (send
 * time) to its arrival at the receiver.
 * Usage: {@code <bootstrap|embedded> <backlog events> <rate/s> <seconds> <concurrency per endpoint>
 * [commit interval ms, default 100]}.
 */
public final class WebhookBenchmark {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** Sealed at rest as api-gateway seals it, opened by the dispatcher at signing time: the real path. */
    private static final SecretBox BOX = new SecretBox(new SecretsSettings("bench1:" + Base64.getEncoder()
            .encodeToString(new SecureRandom().generateSeed(32)), null).keyProvider());
    private static final int EVENTS_PER_CALL = 10;

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : "embedded";
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        long commitMs = args.length > 5 ? Long.parseLong(args[5]) : 100;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram latency = new Histogram(60_000, 3);
        AtomicLong delivered = new AtomicLong();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                long now = System.nanoTime();
                firstNanos.compareAndSet(0, now);
                lastNanos.set(now);
                delivered.incrementAndGet();
                Long sent = sentAt.remove(exchange.getRequestHeaders().getFirst("webhook-id"));
                if (sent != null) {
                    synchronized (latency) {
                        latency.recordValue(Math.max(0, System.currentTimeMillis() - sent));
                    }
                }
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        try (LocalStack stack = new LocalStack(bootstrap);
             Admin admin = Admin.create(stack.client());
             KafkaProducer<String, Object> producer = producer(stack.servers())) {
            // Producing before the new partitions have leaders made the backlog writer loop on
            // OUT_OF_ORDER_SEQUENCE_NUMBER forever (the stalled 20,000-event run).
            TopicLeaders.await(admin, Topics.ALL, Duration.ofSeconds(60));
            String tenant = "bench-" + UUID.randomUUID();
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            String subscriptionId = "sub-" + UUID.randomUUID();
            String sealed = BOX.seal(SECRET, SecretBox.webhookOwner(tenant, subscriptionId));
            WebhookSubscription subscription = WebhookSubscription.newBuilder()
                    .setSubscriptionId(subscriptionId).setTenantId(tenant).setVersion(1)
                    .setUpdatedAt(Instant.now()).setDeleted(false).setUrl(url).setEventTypes(List.of("*"))
                    .setEnabled(true).setSecrets(List.of(new SigningSecret(sealed, null))).build();
            producer.send(new ProducerRecord<>(Topics.WEBHOOK_SUBSCRIPTIONS.name(),
                    subscription.getSubscriptionId(), subscription)).get();
            AtomicLong failedSends = new AtomicLong();
            for (int i = 0; i < backlog; i++) {
                String call = "call-" + (i / EVENTS_PER_CALL);
                producer.send(new ProducerRecord<>(Topics.CALL_TIMELINE_ENTRIES.name(), call,
                        entry(event(tenant, call), i % EVENTS_PER_CALL + 1)), (meta, error) -> {
                            if (error != null) {
                                failedSends.incrementAndGet();
                            }
                        });
            }
            producer.flush();
            System.out.printf(Locale.ROOT, "backlog written: %d events, %d failed sends%n", backlog,
                    failedSends.get());
            DispatcherStreams dispatcher = dispatcher(stack.servers(), receiver.getAddress().getPort(), concurrency,
                    commitMs);
            long startNanos = System.nanoTime();
            dispatcher.start();
            long lastReport = System.nanoTime();
            while (delivered.get() < backlog) {
                if (System.nanoTime() - startNanos > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("backlog not delivered: " + delivered.get());
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(5).toNanos()) {
                    lastReport = System.nanoTime();
                    System.out.printf(Locale.ROOT, "... %d delivered, dispatcher ready: %s%n", delivered.get(),
                            dispatcher.ready());
                }
                Thread.sleep(50);
            }
            double throughput = backlog / ((lastNanos.get() - firstNanos.get()) / 1e9);
            System.out.printf(Locale.ROOT, "throughput: %d deliveries in %.2f s from first delivery "
                            + "(%.2f s from start incl. startup) = %.0f deliveries/s%n", backlog,
                    (lastNanos.get() - firstNanos.get()) / 1e9, (lastNanos.get() - startNanos) / 1e9, throughput);
            latencyPhase(producer, tenant, rate, seconds, sentAt, latency, delivered);
            dispatcher.stop();
        } finally {
            receiver.stop(0);
        }
        System.exit(0);
    }

    private static void latencyPhase(KafkaProducer<String, Object> producer, String tenant, int rate, int seconds,
                                     Map<String, Long> sentAt, Histogram latency, AtomicLong delivered)
            throws InterruptedException {
        synchronized (latency) {
            latency.reset();
        }
        long before = delivered.get();
        long total = (long) rate * seconds;
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * periodNanos;
            // Parked, not spun: a spinning sender takes one of the two cores from the system it measures.
            LockSupport.parkNanos(due - System.nanoTime());
            String call = "live-" + (i / EVENTS_PER_CALL);
            CallEvent event = event(tenant, call);
            sentAt.put(event.getEventId(), event.getOccurredAt().toEpochMilli());
            producer.send(new ProducerRecord<>(Topics.CALL_TIMELINE_ENTRIES.name(), call,
                    entry(event, i % EVENTS_PER_CALL + 1)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delivered.get() - before < total && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        synchronized (latency) {
            System.out.printf(Locale.ROOT, "latency at %d/s for %d s: %d delivered of %d, event-to-delivery "
                            + "p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n", rate, seconds,
                    delivered.get() - before, total, latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99), latency.getValueAtPercentile(99.9), latency.getMaxValue());
        }
    }

    private static DispatcherStreams dispatcher(String servers, int port, int concurrency, long commitMs) {
        KafkaSettings kafka = KafkaSettings.plaintext(servers);
        DispatcherSettings settings = new DispatcherSettings(null, null, concurrency,
                "webhook-bench-" + UUID.randomUUID(), null, null, null, 1, Duration.ofMillis(commitMs), null, null);
        Clock clock = Clock.systemUTC();
        KafkaProducer<String, WebhookAttempt> attempts = new KafkaProducer<>(
                DispatcherConfiguration.producerConfig(kafka, "attempts"), Topics.WEBHOOK_ATTEMPTS.keySerde().serializer(),
                Topics.WEBHOOK_ATTEMPTS.valueSerde().serializer());
        DeliveryWorker worker = new DeliveryWorker(new SsrfGuard(List.of("127.0.0.1:" + port)),
                new HttpPoster(settings.connectTimeout(), settings.requestTimeout(), concurrency),
                new RetryPolicy(RandomGenerator.getDefault()), clock, attempts, () -> concurrency,
                new SigningKeys(BOX, new SimpleMeterRegistry()), new SimpleMeterRegistry(), CallTracing.off());
        return new DispatcherStreams(kafka, settings, worker, new WebhookPayloads(settings.apiBaseUrl()), clock);
    }

    private static CallEvent event(String tenant, String call) {
        return CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId(call).setTenantId(tenant)
                .setCampaignId(null).setAgentId("agent").setOccurredAt(Instant.now())
                .setSource(EventSource.REALTIME_EDGE).setPayload(new DtmfReceived("5", null)).build();
    }

    /** Entry {@code seq} of the event's call, as the timeline writes it. */
    private static TimelineEntry entry(CallEvent event, long seq) {
        return TimelineEntry.newBuilder().setCallId(event.getCallId()).setTenantId(event.getTenantId()).setSeq(seq)
                .setEventId(event.getEventId()).setEventType(event.getPayload().getClass().getSimpleName())
                .setOccurredAt(event.getOccurredAt()).setEvent(event).build();
    }

    private static KafkaProducer<String, Object> producer(String servers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 2,
                // One request in flight: a retried batch can never be overtaken by the next one.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                Topics.CALL_TIMELINE_ENTRIES.keySerde().serializer(), new ValueSerializer());
    }

    /** Serializes each value with the serde of the topic it is sent to. */
    private static final class ValueSerializer implements Serializer<Object> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public byte[] serialize(String topic, Object value) {
            return Topics.ALL.stream().filter(candidate -> candidate.name().equals(topic)).findFirst()
                    .map(candidate -> ((Serializer) candidate.valueSerde().serializer()).serialize(topic, value))
                    .orElseThrow(() -> new IllegalArgumentException(topic));
        }
    }

}
