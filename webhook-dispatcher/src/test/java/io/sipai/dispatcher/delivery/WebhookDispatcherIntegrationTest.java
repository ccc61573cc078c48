package io.sipai.dispatcher.delivery;

import static io.sipai.testing.events.Events.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.standardwebhooks.Webhook;
import io.sipai.common.EndReason;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.DispatcherApplication;
import io.sipai.dispatcher.DispatcherStreams;
import io.sipai.dispatcher.testing.MasterKeys;
import io.sipai.testing.MutableClock;
import io.sipai.dispatcher.testing.Receiver.Answer;
import io.sipai.dispatcher.testing.Receiver;
import io.sipai.dispatcher.testing.TopicRecorder;
import io.sipai.events.CallEvent;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;
import io.sipai.schemas.Topic;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import io.sipai.webhook.WebhookReplay;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole dispatcher against the module's real broker and real HTTP receivers on loopback: fan-out, signing,
 * ordering, retries on a movable clock, Retry-After, 410, dead letters and replay, restart, hanging endpoints,
 * the 5-day rule and the SSRF guard.
 */
@SpringBootTest(classes = {DispatcherApplication.class, WebhookDispatcherIntegrationTest.TestClock.class},
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {"kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "webhook.application-id=" + WebhookDispatcherIntegrationTest.APPLICATION_ID, "webhook.request-timeout=4s",
            "webhook.max-concurrency-per-endpoint=4", "sipai.secrets.keys=" + MasterKeys.KEYS})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDispatcherIntegrationTest {

    static final String APPLICATION_ID = "webhook-dispatcher-it";
    static final MutableClock CLOCK = new MutableClock(Instant.now());
    static final Receiver RECEIVER = receiver();
    static TopicRecorder<WebhookAttempt> attempts;
    static TopicRecorder<WebhookDelivery> deadLetters;
    static TopicRecorder<WebhookSubscription> subscriptions;
    static KafkaProducer<String, Object> producer;
    static Admin admin;
    /** Entry numbers: the dispatcher does not read them, so one counter serves every call. */
    static final AtomicLong ENTRY_SEQ = new AtomicLong();

    @TestConfiguration
    static class TestClock {
        @Bean
        @Primary
        MutableClock testClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void allowReceiver(DynamicPropertyRegistry registry) {
        registry.add("webhook.allowed-hosts", () -> "127.0.0.1:" + RECEIVER.port());
    }

    @Autowired
    DispatcherStreams streams;

    @Autowired
    SsrfGuard guard;

    @BeforeAll
    static void clients() {
        String bootstrap = System.getProperty("spring.embedded.kafka.brokers");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        new TopicCreator(admin, (short) 1, Duration.ofSeconds(30)).createAll(DispatcherStreams.TOPICS);
        attempts = new TopicRecorder<>(bootstrap, Topics.WEBHOOK_ATTEMPTS);
        deadLetters = new TopicRecorder<>(bootstrap, Topics.WEBHOOK_DEAD_LETTER);
        subscriptions = new TopicRecorder<>(bootstrap, Topics.WEBHOOK_SUBSCRIPTIONS);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new org.apache.kafka.common.serialization.StringSerializer(),
                new AnySerializer());
    }

    @AfterAll
    static void close() throws InterruptedException {
        attempts.close();
        deadLetters.close();
        subscriptions.close();
        producer.close();
        admin.close();
        RECEIVER.close();
    }

    @Test
    @Order(1)
    void deliversEachSelectedEventSignedOnceAndInOrderPerCall() throws Exception {
        // given a subscription to dtmf and call.ended, another tenant's subscription and a disabled one
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("dtmf", "call.ended"));
        WebhookSubscription otherTenant = Events.subscription("sub-" + UUID.randomUUID(), "someone-else",
                RECEIVER.url("/other"), List.of("*"));
        WebhookSubscription disabled = WebhookSubscription.newBuilder(
                Events.subscription("sub-" + UUID.randomUUID(), tenant, RECEIVER.url("/disabled"), List.of("*")))
                .setEnabled(false).build();
        publish(Topics.WEBHOOK_SUBSCRIPTIONS, otherTenant.getSubscriptionId(), otherTenant);
        publish(Topics.WEBHOOK_SUBSCRIPTIONS, disabled.getSubscriptionId(), disabled);
        awaitSubscription(disabled.getSubscriptionId());

        // when two calls emit interleaved events, one of a type nobody selected
        Map<String, List<String>> sent = Map.of("call-a-" + UUID.randomUUID(), new ArrayList<>(),
                "call-b-" + UUID.randomUUID(), new ArrayList<>());
        for (int i = 0; i < 5; i++) {
            for (String call : sent.keySet()) {
                CallEvent event = Events.eventNow(call, tenant, i == 4 ? Events.ended(EndReason.CALLER_HANGUP)
                        : Events.dtmf("" + i));
                sent.get(call).add(event.getEventId());
                publishEvent(event);
            }
        }
        publishEvent(Events.eventNow(sent.keySet().iterator().next(), tenant, Events.turnMetrics()));

        // then each selected event arrives once, per call in order, verified by the reference library
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received(path).size() >= 10);
        List<Receiver.Received> got = RECEIVER.received(path);
        assertThat(got).hasSize(10);
        Webhook verifier = new Webhook(SECRET);
        for (Receiver.Received request : got) {
            verifier.verify(request.body(), request.headers());
            assertThat(request.body()).startsWith("{\"type\":\"").contains("\"version\":1")
                    .contains("\"tenantId\":\"" + tenant + "\"");
        }
        for (Map.Entry<String, List<String>> call : sent.entrySet()) {
            List<String> ids = got.stream().filter(r -> r.body().contains(call.getKey()))
                    .map(r -> r.header("webhook-id")).toList();
            assertThat(ids).containsExactlyElementsOf(call.getValue());
        }
        assertThat(RECEIVER.received("/other")).isEmpty();
        assertThat(RECEIVER.received("/disabled")).isEmpty();
    }

    @Test
    @Order(2)
    void retriesAfterFiveSecondsThenFiveMinutesWithJitterOnTheInjectedClock() {
        // given an endpoint that fails twice
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        AtomicInteger calls = new AtomicInteger();
        RECEIVER.behave(request -> request.path().equals(path) && calls.incrementAndGet() <= 2
                ? Answer.status(500) : Answer.status(200));
        CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("5"));

        // when
        publishEvent(event);
        WebhookAttempt first = awaitAttempt(event.getEventId(), 1);
        CLOCK.advance(Duration.ofSeconds(7));
        WebhookAttempt second = awaitAttempt(event.getEventId(), 2);
        advanceOnceApplied(event.getEventId(), Duration.ofMinutes(7));
        WebhookAttempt third = awaitAttempt(event.getEventId(), 3);

        // then
        assertThat(first.getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
        assertThat(first.getStatusCode()).isEqualTo(500);
        assertThat(Duration.between(first.getAttemptedAt(), first.getNextAttemptAt()).toMillis())
                .isBetween(4_000L, 6_000L);
        assertThat(second.getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
        assertThat(Duration.between(second.getAttemptedAt(), second.getNextAttemptAt()).toMillis())
                .isBetween(240_000L, 360_000L);
        assertThat(third.getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
        List<Receiver.Received> got = RECEIVER.received(path);
        assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(event.getEventId());
        assertThat(got).extracting(r -> r.header("webhook-timestamp")).doesNotHaveDuplicates();
        got.forEach(WebhookDispatcherIntegrationTest::assertSignedByReference);
    }

    @Test
    @Order(3)
    void honoursRetryAfterOn429() {
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        AtomicInteger calls = new AtomicInteger();
        RECEIVER.behave(request -> request.path().equals(path) && calls.incrementAndGet() == 1
                ? new Answer(429, Map.of("Retry-After", "120"), false) : Answer.status(200));
        CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("1"));

        publishEvent(event);
        WebhookAttempt throttled = awaitAttempt(event.getEventId(), 1);
        advanceOnceApplied(event.getEventId(), Duration.ofSeconds(121));
        WebhookAttempt delivered = awaitAttempt(event.getEventId(), 2);

        assertThat(throttled.getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
        assertThat(throttled.getStatusCode()).isEqualTo(429);
        assertThat(Duration.between(throttled.getAttemptedAt(), throttled.getNextAttemptAt()))
                .isEqualTo(Duration.ofSeconds(120));
        assertThat(delivered.getOutcome()).isEqualTo(AttemptOutcome.DELIVERED);
    }

    @Test
    @Order(4)
    void goneDisablesTheEndpointAtOnceAndDeadLettersTheDelivery() {
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        String subscriptionId = path.substring(1);
        RECEIVER.behave(request -> request.path().equals(path) ? Answer.status(410) : Answer.status(200));
        CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("1"));

        publishEvent(event);

        WebhookAttempt gone = awaitAttempt(event.getEventId(), 1);
        assertThat(gone.getOutcome()).isEqualTo(AttemptOutcome.ENDPOINT_DISABLED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(subscriptions.values(s -> s.getSubscriptionId().equals(subscriptionId) && !s.getEnabled()))
                    .singleElement().satisfies(s -> assertThat(s.getVersion()).isEqualTo(2));
            assertThat(deadLetters.values(d -> d.getWebhookId().equals(event.getEventId()))).singleElement()
                    .satisfies(d -> assertThat(d.getAttempts()).isEqualTo(1));
        });
        // and later events are not even fanned out
        await().until(() -> streams.subscription(subscriptionId).map(s -> !s.getEnabled()).orElse(false));
        CallEvent later = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("2"));
        publishEvent(later);
        CallEvent probe = probeDelivered();
        assertThat(attempts.values(a -> a.getWebhookId().equals(later.getEventId()))).isEmpty();
        assertThat(probe).isNotNull();
    }

    @Test
    @Order(5)
    void anEndpointDownThenUpGetsEverythingInOrderPerCallAndRetriesHoldBackOnlyTheirCall() {
        // given an endpoint that is down for its first two requests
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        AtomicInteger calls = new AtomicInteger();
        RECEIVER.behave(request -> request.path().equals(path) && calls.incrementAndGet() <= 2
                ? Answer.status(503) : Answer.status(200));
        String callA = "call-a-" + UUID.randomUUID();
        String callB = "call-b-" + UUID.randomUUID();
        List<String> idsA = new ArrayList<>();
        List<String> idsB = new ArrayList<>();

        // when both calls emit three events while it is down
        for (int i = 0; i < 3; i++) {
            CallEvent a = Events.eventNow(callA, tenant, Events.dtmf("" + i));
            CallEvent b = Events.eventNow(callB, tenant, Events.dtmf("" + i));
            idsA.add(a.getEventId());
            idsB.add(b.getEventId());
            publishEvent(a);
            publishEvent(b);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() >= 2);
        assertThat(RECEIVER.received(path)).hasSize(2);
        CLOCK.advance(Duration.ofSeconds(7));

        // then all six arrive, each call's in order, none before its call's predecessor was delivered
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received(path).size() >= 8);
        List<String> arrived = RECEIVER.received(path).stream().map(r -> r.header("webhook-id")).toList();
        assertThat(arrived.stream().filter(idsA::contains).distinct().toList()).containsExactlyElementsOf(idsA);
        assertThat(arrived.stream().filter(idsB::contains).distinct().toList()).containsExactlyElementsOf(idsB);
        assertThat(arrived).hasSize(8);
    }

    @Test
    @Order(6)
    void aHangingEndpointDoesNotDelayOtherEndpoints() {
        // given one endpoint that never answers and a healthy one
        String tenant = "tenant-" + UUID.randomUUID();
        String hanging = subscribe(tenant, List.of("*"));
        String otherTenant = "tenant-" + UUID.randomUUID();
        String healthy = subscribe(otherTenant, List.of("*"));
        RECEIVER.behave(request -> request.path().equals(hanging) ? Answer.hanging() : Answer.status(200));

        // when the hanging endpoint has more calls than its concurrency limit, then the healthy one gets events
        for (int i = 0; i < 10; i++) {
            publishEvent(Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("1")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.received(hanging).size() >= 4);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            publishEvent(Events.eventNow("call-" + UUID.randomUUID(), otherTenant, Events.dtmf("1")));
        }

        // then the healthy endpoint is served well within the request timeout of the hanging one
        await().atMost(Duration.ofSeconds(3)).until(() -> RECEIVER.received(healthy).size() >= 5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(RECEIVER.received(hanging)).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    @Order(7)
    void aRestartInTheMiddleOfARetryLosesNothing() {
        // given a delivery waiting for its retry
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        AtomicInteger calls = new AtomicInteger();
        RECEIVER.behave(request -> request.path().equals(path) && calls.incrementAndGet() == 1
                ? Answer.status(500) : Answer.status(200));
        String call = "call-" + UUID.randomUUID();
        CallEvent first = Events.eventNow(call, tenant, Events.dtmf("1"));
        publishEvent(first);
        assertThat(awaitAttempt(first.getEventId(), 1).getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
        CallEvent queued = Events.eventNow(call, tenant, Events.dtmf("2"));
        publishEvent(queued);

        // when the dispatcher restarts and the retry comes due
        streams.stop();
        streams.start();
        await().atMost(Duration.ofSeconds(60)).until(streams::ready);
        CLOCK.advance(Duration.ofSeconds(7));

        // then both are delivered, in order
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received(path).size() >= 3);
        assertThat(RECEIVER.received(path)).extracting(r -> r.header("webhook-id"))
                .containsExactly(first.getEventId(), first.getEventId(), queued.getEventId());
    }

    @Test
    @Order(8)
    void anExhaustedDeliveryIsDeadLetteredAfterEightAttemptsAndReplaysWithTheSameWebhookId() {
        // given an endpoint that always fails
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        String subscriptionId = path.substring(1);
        RECEIVER.behave(request -> request.path().equals(path) ? Answer.status(500) : Answer.status(200));
        CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("9"));

        // when every retry comes due
        publishEvent(event);
        for (int attempt = 1; attempt < 8; attempt++) {
            awaitAttempt(event.getEventId(), attempt);
            advanceOnceApplied(event.getEventId(), Duration.ofHours(13));
        }

        // then the eighth attempt dead-letters it
        assertThat(awaitAttempt(event.getEventId(), 8).getOutcome()).isEqualTo(AttemptOutcome.DEAD_LETTERED);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deadLetters.values(d -> d.getWebhookId().equals(event.getEventId()))).singleElement()
                        .satisfies(d -> assertThat(d.getAttempts()).isEqualTo(8)));

        // and when the endpoint is fixed and the event replayed, it arrives with the original webhook-id
        RECEIVER.behave(request -> Answer.status(200));
        publish(Topics.WEBHOOK_REPLAY, subscriptionId, WebhookReplay.newBuilder().setReplayId("r-1")
                .setSubscriptionId(subscriptionId).setTenantId(tenant).setEventId(event.getEventId())
                .setFrom(null).setTo(null).setRequestedAt(Instant.now()).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received(path).size() >= 9);
        Receiver.Received replayed = RECEIVER.received(path).getLast();
        assertThat(replayed.header("webhook-id")).isEqualTo(event.getEventId());
        assertSignedByReference(replayed);
    }

    @Test
    @Order(9)
    void anEndpointFailingForFiveDaysIsDisabledWithAnAttemptRecordSayingSo() {
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        String subscriptionId = path.substring(1);
        RECEIVER.behave(request -> request.path().equals(path) ? Answer.status(500) : Answer.status(200));

        // when a new call's event fails every 61 hours, the last 122 hours after the first: more than five days
        for (int round = 0; round <= 2; round++) {
            CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("1"));
            publishEvent(event);
            awaitAttempt(event.getEventId(), 1);
            advanceOnceApplied(event.getEventId(), Duration.ofHours(61));
        }

        // then the endpoint is disabled: an ENDPOINT_DISABLED attempt and the subscription's next version
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(attempts.values(a -> a.getSubscriptionId().equals(subscriptionId)
                    && a.getOutcome() == AttemptOutcome.ENDPOINT_DISABLED)).singleElement()
                    .satisfies(a -> assertThat(a.getError()).contains("5 days"));
            assertThat(subscriptions.values(s -> s.getSubscriptionId().equals(subscriptionId) && !s.getEnabled()))
                    .singleElement().satisfies(s -> assertThat(s.getVersion()).isEqualTo(2));
        });
    }

    @Test
    @Order(10)
    void theSsrfMatrixIsRefusedAtSubscriptionAndConnectTimeAndTheCanarySeesNoConnection() throws Exception {
        try (Canary canary = new Canary()) {
            int port = canary.port();
            List<String> urls = List.of("http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/",
                    "http://2130706433:" + port + "/", "http://0177.0.0.1:" + port + "/",
                    "http://127.1:" + port + "/", "http://0x7f000001:" + port + "/",
                    "http://[::1]:" + port + "/", "http://[::ffff:7f00:1]:" + port + "/",
                    "http://169.254.169.254:" + port + "/latest/meta-data/", "http://10.0.0.1:" + port + "/");
            String tenant = "tenant-" + UUID.randomUUID();
            List<String> subscriptionIds = new ArrayList<>();
            for (String url : urls) {
                // subscription time
                assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(SsrfRefusedException.class);
                WebhookSubscription subscription = Events.subscription("sub-" + UUID.randomUUID(), tenant, url,
                        List.of("*"));
                subscriptionIds.add(subscription.getSubscriptionId());
                publish(Topics.WEBHOOK_SUBSCRIPTIONS, subscription.getSubscriptionId(), subscription);
            }
            awaitSubscription(subscriptionIds.getLast());

            // connect time
            CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("1"));
            publishEvent(event);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(attempts.values(a -> a.getWebhookId().equals(event.getEventId())))
                            .hasSize(urls.size()).allMatch(a -> a.getOutcome() == AttemptOutcome.REFUSED));
            assertThat(canary.accepted()).hasValue(0);
        }
    }

    @Test
    @Order(11)
    void aSealedSecretSignsWithTheSecretTheApiShowedWhileTheStoreHoldsItSealed() {
        // given a subscription whose secret api-gateway sealed, as it shows it once to the customer
        String tenant = "tenant-" + UUID.randomUUID();
        String id = "sub-" + UUID.randomUUID();
        String shown = "whsec_" + Base64.getEncoder().encodeToString(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.US_ASCII));
        String sealed = MasterKeys.box().seal(shown, SecretBox.webhookOwner(tenant, id));
        publish(Topics.WEBHOOK_SUBSCRIPTIONS, id, WebhookSubscription.newBuilder(
                        Events.subscription(id, tenant, RECEIVER.url("/" + id), List.of("*")))
                .setSecrets(List.of(new SigningSecret(sealed, null))).build());
        awaitSubscription(id);

        // when an event of the tenant is delivered
        publishEvent(Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("7")));
        await().atMost(Duration.ofSeconds(30)).until(() -> !RECEIVER.received("/" + id).isEmpty());

        // then the signature verifies with the shown secret, and the store keeps only the sealed text
        assertSignedByReference(shown, RECEIVER.received("/" + id).getFirst());
        assertThat(streams.subscription(id).orElseThrow().getSecrets()).singleElement().satisfies(secret ->
                assertThat(secret.getSecret()).isEqualTo(sealed).doesNotContain(shown.substring("whsec_".length())));
    }

    @Test
    @Order(12)
    void aSecretThatDoesNotOpenFailsTheAttemptForARetryWithoutNamingTheKey() {
        // given a subscription whose secret was sealed under a master key this dispatcher does not hold
        String tenant = "tenant-" + UUID.randomUUID();
        String id = "sub-" + UUID.randomUUID();
        SecretBox foreign = new SecretBox(new SecretsSettings("elsewhere:" + Base64.getEncoder()
                .encodeToString(new byte[32]), null).keyProvider());
        publish(Topics.WEBHOOK_SUBSCRIPTIONS, id, WebhookSubscription.newBuilder(
                        Events.subscription(id, tenant, RECEIVER.url("/" + id), List.of("*")))
                .setSecrets(List.of(new SigningSecret(foreign.seal(SECRET, SecretBox.webhookOwner(tenant, id)), null)))
                .build());
        awaitSubscription(id);

        // when an event of the tenant is due
        CallEvent event = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("8"));
        publishEvent(event);

        // then the attempt is retried later, its error names no key, and nothing unsigned was sent
        WebhookAttempt attempt = awaitAttempt(event.getEventId(), 1);
        assertThat(attempt.getOutcome()).isEqualTo(AttemptOutcome.RETRYING);
        assertThat(attempt.getError()).isEqualTo("signing secret unavailable");
        assertThat(RECEIVER.received("/" + id)).isEmpty();
    }

    private String subscribe(String tenant, List<String> types) {
        String subscriptionId = "sub-" + UUID.randomUUID();
        String path = "/" + subscriptionId;
        WebhookSubscription subscription = Events.subscription(subscriptionId, tenant, RECEIVER.url(path), types);
        publish(Topics.WEBHOOK_SUBSCRIPTIONS, subscriptionId, subscription);
        awaitSubscription(subscriptionId);
        return path;
    }

    private void awaitSubscription(String subscriptionId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.subscription(subscriptionId).isPresent());
    }

    /** Sends an event to a fresh healthy subscription and waits for it: everything published before is fanned out. */
    private CallEvent probeDelivered() {
        String tenant = "tenant-" + UUID.randomUUID();
        String path = subscribe(tenant, List.of("*"));
        CallEvent probe = Events.eventNow("call-" + UUID.randomUUID(), tenant, Events.dtmf("0"));
        publishEvent(probe);
        await().atMost(Duration.ofSeconds(30)).until(() -> !RECEIVER.received(path).isEmpty());
        return probe;
    }

    /**
     * Moves the clock once the dispatcher has applied every attempt of this webhook written so far (its committed
     * offset on the attempts topic is past them). Moved earlier by more than the in-flight timeout, the clock would
     * pass the deadline of an attempt whose result the scheduler has not read yet, and it would rightly send that
     * attempt again as lost, its retry timed from the moved clock: the next attempt the test waits for would never
     * come (seen on a busy machine).
     */
    private static void advanceOnceApplied(String webhookId, Duration by) {
        List<ConsumerRecord<String, WebhookAttempt>> written = attempts.records().stream()
                .filter(r -> r.value() != null && r.value().getWebhookId().equals(webhookId)).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get();
            return written.stream().allMatch(r -> {
                OffsetAndMetadata offset = committed.get(new TopicPartition(r.topic(), r.partition()));
                return offset != null && offset.offset() > r.offset();
            });
        });
        CLOCK.advance(by);
    }

    private static WebhookAttempt awaitAttempt(String webhookId, int number) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> attempts.values(a ->
                        a.getWebhookId().equals(webhookId) && a.getAttempt() == number
                                && !a.getAttemptId().startsWith("endpoint-disabled/")),
                found -> !found.isEmpty()).getFirst();
    }

    /** The reference library computes the same signature for the headers as sent (the clock may be far off). */
    private static void assertSignedByReference(Receiver.Received request) {
        assertSignedByReference(SECRET, request);
    }

    private static void assertSignedByReference(String secret, Receiver.Received request) {
        try {
            String expected = new Webhook(secret).sign(request.header("webhook-id"),
                    Long.parseLong(request.header("webhook-timestamp")), request.body());
            assertThat(request.header("webhook-signature").split(" ")).contains(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code event} as its call's timeline accepts it: as the next entry on call.timeline-entries.v1. */
    private static void publishEvent(CallEvent event) {
        publish(Topics.CALL_TIMELINE_ENTRIES, event.getCallId(), Events.entry(event, ENTRY_SEQ.incrementAndGet()));
    }

    private static <V> void publish(Topic<String, V> topic, String key, V value) {
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Receiver receiver() {
        try {
            return new Receiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A listener nothing may ever reach: it counts accepted connections. */
    static final class Canary implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger accepted = new AtomicInteger();

        Canary() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket ignored = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        AtomicInteger accepted() {
            return accepted;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Serializes any registry value with its topic's serde, so one producer publishes to every topic. */
    public static final class AnySerializer implements org.apache.kafka.common.serialization.Serializer<Object> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public byte[] serialize(String topic, Object value) {
            for (Topic<?, ?> candidate : Topics.ALL) {
                if (candidate.name().equals(topic)) {
                    return ((org.apache.kafka.common.serialization.Serializer) candidate.valueSerde().serializer())
                            .serialize(topic, value);
                }
            }
            throw new IllegalArgumentException(topic);
        }
    }
}
