package io.sipai.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import io.sipai.schemas.otlp.OtlpSpan;
import io.sipai.testing.cluster.FreePorts;
import io.sipai.testing.otlp.OtlpReceiver;
import io.sipai.testing.ws.WsClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one-machine platform as a user starts it: the embedded broker and PostgreSQL, every topic, and the four
 * service jars as processes. Needs the service jars, which the reactor builds before this module.
 */
class PlatformSmokeTest {

    private static final String TWILIO_AUTH_TOKEN = "smoke-" + UUID.randomUUID();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    private final OtlpReceiver collector = new OtlpReceiver();

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    @Test
    void everyServiceTurnsReadyAnEventRoundTripsAndAPersonTalksToAnAgentFromTheConsole() throws Exception {
        // Given the platform on free ports
        PlatformConfig config = config();
        CallEvent event = callRequested();
        try (Platform platform = new Platform(config)) {
            // When it starts
            platform.prepareServices();
            platform.startInfrastructure();
            platform.startServices();

            // Then every service is ready and a registry-serde record reads back with the same serde
            assertThat(platform.services()).hasSize(4).allMatch(ServiceProcess::ready);
            produce(platform.bootstrapServers(), event);
            assertThat(consumeAll(platform.bootstrapServers())).contains(event);

            // And the generated admin key opens the REST API, which refuses a request without one
            int gateway = config.servicePorts().get("api-gateway");
            assertThat(get(gateway, "/v1/agents", platform.apiKey())).isEqualTo(200);
            assertThat(get(gateway, "/v1/agents", null)).isEqualTo(401);

            // And a key made through the API opens the realtime-edge for its tenant (the edge reads its grant)
            String sdkKey = newKey(gateway, platform.apiKey());
            int edge = config.servicePorts().get("realtime-edge");
            try (WsClient sdk = WsClient.connect(URI.create("ws://127.0.0.1:" + edge + "/realtime/voice?api_key="
                    + sdkKey))) {
                sdk.text("{\"t\":\"start\",\"callId\":\"sdk-" + UUID.randomUUID() + "\"}");
                assertThat(sdk.nextText()).contains("\"connected\"");
            }

            // And a phone call placed the way Twilio places it is answered with the agent's greeting
            ByteArrayOutputStream smoke = new ByteArrayOutputStream();
            CallSmoke call = new CallSmoke(URI.create("http://127.0.0.1:" + gateway), platform.apiKey(),
                    TWILIO_AUTH_TOKEN, Duration.ofSeconds(30));
            assertThat(call.run(new PrintStream(smoke, true, StandardCharsets.UTF_8))).isZero();
            assertThat(smoke.toString(StandardCharsets.UTF_8)).contains("greeting received").contains(" in the API");

            // And a person who opens the console talks to a scripted agent from the browser and sees the call end
            ConsoleTalk.Seen talk = new ConsoleTalk(gateway, platform.apiKey(), dataDir).talk();
            assertThat(talk.callId()).startsWith("web-");
            assertThat(talk.playedMs()).isGreaterThan(2_000);
            assertThat(talk.endReason()).isEqualTo("CALLER_HANGUP");
            assertThat(talk.timelineEntries()).isGreaterThanOrEqualTo(6);
            assertThat(talk.recordingSeconds()).as("the call's recording, as the browser decoded it")
                    .isGreaterThan(talk.playedMs() / 1000.0);
            assertThat(talk.analysis()).startsWith("The caller said:");

            // And each call is one trace across the services, exported over OTLP: the browser call's from the
            // edge through admission and the timeline, the phone call's from the gateway's webhook on
            String webTrace = CallTracing.traceId(talk.callId());
            await().atMost(Duration.ofSeconds(30)).until(() -> collector.trace(webTrace).stream()
                    .anyMatch(span -> span.name().equals(CallTracing.ROOT_SPAN)));
            // (each service exports in batches every few seconds: the spans of one call arrive from each in turn)
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    new CallTraces(talk.callId(), collector.trace(webTrace)).assertOneTreeAcrossTheServices());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                OtlpSpan webhook = collector.spans().stream()
                        .filter(span -> span.name().equals("twilio inbound call")).findFirst().orElseThrow();
                CallTraces phone = new CallTraces((String) webhook.attribute("sipai.call_id"),
                        collector.trace(webhook.traceId()));
                assertThat(phone.one("timeline CallRequested").parentSpanId()).isEqualTo(webhook.spanId());
                assertThat(phone.one("admission.acquire").parentSpanId()).isEqualTo(webhook.spanId());
            });

            // And every metric the operators' dashboards and alert rules name is exported by a service
            assertThat(ExportedMetrics.exported(config.servicePorts().values()))
                    .containsAll(ExportedMetrics.referenced(Path.of("..").toAbsolutePath().normalize()));
        }
    }

    @Test
    void aRestartKeepsTheDataOfThePreviousRun() throws Exception {
        PlatformConfig config = config();
        CallEvent event = callRequested();
        try (Platform first = new Platform(config)) {
            first.startInfrastructure();
            produce(first.bootstrapServers(), event);
        }

        try (Platform second = new Platform(config)) {
            second.startInfrastructure();

            assertThat(consumeAll(second.bootstrapServers())).contains(event);
        }
    }

    private PlatformConfig config() {
        Map<String, Integer> ports = new HashMap<>();
        Platform.SERVICES.forEach(name -> ports.put(name, FreePorts.next()));
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("KAFKA_BOOTSTRAP_SERVERS");
        environment.remove("DB_URL");
        environment.put("LOG_LEVEL", "WARN");
        environment.put("TWILIO_AUTH_TOKEN", TWILIO_AUTH_TOKEN);
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
        // Recording the class-data caches only pays off from a second start; StartupCacheTest covers them.
        environment.put(StartupCache.SETTING, "off");
        return new PlatformConfig(Path.of("..").toAbsolutePath().normalize(), dataDir, FreePorts.next(),
                FreePorts.next(), FreePorts.next(), ports, environment);
    }

    private static CallEvent callRequested() {
        return CallEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setCallId("call-smoke")
                .setTenantId("tenant-smoke").setOccurredAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSource(EventSource.API_GATEWAY)
                .setPayload(CallRequested.newBuilder().setDirection(CallDirection.OUTBOUND)
                        .setTransport(Transport.JAMBONZ).setTo("+15550100").build())
                .build();
    }

    /** A new write key of the admin key's tenant, made through POST /v1/api-keys. */
    private static String newKey(int port, String adminKey) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/api-keys"))
                .header("X-API-Key", adminKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sdk\",\"scopes\":[\"write\"]}")).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> created = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            return JsonMapper.builder().build().readTree(created.body()).get("key").asString();
        }
    }

    private static int get(int port, String path, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private static void produce(String servers, CallEvent event) throws Exception {
        try (KafkaProducer<String, CallEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.ACKS_CONFIG, "all"),
                Topics.CALL_EVENTS.keySerde().serializer(), Topics.CALL_EVENTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CALL_EVENTS.name(), event.getCallId(), event)).get();
        }
    }

    private static List<CallEvent> consumeAll(String servers) {
        try (KafkaConsumer<String, CallEvent> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Topics.CALL_EVENTS.keySerde().deserializer(), Topics.CALL_EVENTS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.CALL_EVENTS.name()));
            List<CallEvent> events = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CallEvent> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(record.value());
                }
            }
            return events;
        }
    }
}
