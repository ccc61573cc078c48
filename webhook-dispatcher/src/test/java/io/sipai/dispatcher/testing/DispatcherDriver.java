package io.sipai.dispatcher.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.DispatcherTopology;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.subscriptions.SubscriptionStore;
import io.sipai.events.CallEvent;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.StreamsApplication;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.testing.MutableClock;
import io.sipai.testing.events.Events;
import io.sipai.testing.streams.StateDirs;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The dispatcher's whole topology on a {@link TopologyTestDriver}, with the service's Streams configuration, a
 * worker that only records the runs it is handed, and one clock for both the dispatcher ({@link MutableClock}) and
 * the driver's wall clock, so retry timers and lost-result deadlines fire when a test moves time.
 */
public final class DispatcherDriver implements AutoCloseable {

    /** How often the scheduler looks for due timers. */
    public static final Duration TICK = Duration.ofMillis(100);
    /** After this an attempt without a result is sent again. */
    public static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(30);
    public static final String TENANT = "tenant-1";

    private final MutableClock clock = new MutableClock(Events.T0);
    private final List<DeliveryJob> jobs = new ArrayList<>();
    private final WebhookPayloads payloads = new WebhookPayloads("https://api.example.com");
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, WebhookSubscription> subscriptions;
    private final TestInputTopic<String, TimelineEntry> entries;
    private long seq;
    private final TestInputTopic<String, WebhookDelivery> outbox;
    private final TestInputTopic<String, WebhookAttempt> attempts;
    private final TestOutputTopic<String, WebhookDelivery> deadLetters;
    private final TestOutputTopic<String, WebhookSubscription> subscriptionUpdates;
    private final TestOutputTopic<String, WebhookAttempt> attemptRecords;

    public DispatcherDriver() {
        Properties properties = StreamsApplication.properties(KafkaSettings.plaintext("localhost:9092"),
                new StreamsApplication.Options("dispatcher-test", StateDirs.inMemory(), Duration.ofMillis(100), 1,
                        Map.of()));
        driver = new TopologyTestDriver(DispatcherTopology.build(payloads, jobs::add, clock, TICK,
                IN_FLIGHT_TIMEOUT), properties, clock.instant());
        subscriptions = input(Topics.WEBHOOK_SUBSCRIPTIONS);
        entries = input(Topics.CALL_TIMELINE_ENTRIES);
        outbox = input(Topics.WEBHOOK_OUTBOX);
        attempts = input(Topics.WEBHOOK_ATTEMPTS);
        deadLetters = output(Topics.WEBHOOK_DEAD_LETTER);
        subscriptionUpdates = output(Topics.WEBHOOK_SUBSCRIPTIONS);
        attemptRecords = output(Topics.WEBHOOK_ATTEMPTS);
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** An enabled subscription of {@link #TENANT} to every type, version 1. */
    public WebhookSubscription subscribe(String subscriptionId) {
        WebhookSubscription subscription = Events.subscription(subscriptionId, TENANT,
                "https://hooks.example.com/" + subscriptionId, List.of("*"));
        subscriptions.pipeInput(subscriptionId, subscription);
        return subscription;
    }

    /** A subscription record as api-gateway (or the dispatcher itself) writes it. */
    public void publish(WebhookSubscription subscription) {
        subscriptions.pipeInput(subscription.getSubscriptionId(), subscription);
    }

    /** The subscription as the dispatcher's global store holds it, or null. */
    public WebhookSubscription subscription(String subscriptionId) {
        return driver.<String, WebhookSubscription>getKeyValueStore(SubscriptionStore.NAME).get(subscriptionId);
    }

    /** A DTMF event of {@code callId} of {@link #TENANT}, accepted by its timeline, for the fan-out. */
    public CallEvent event(String callId) {
        return accepted(Events.event(callId, TENANT, Events.dtmf("1")));
    }

    /** {@code event} as its call's timeline accepted it: the next entry on call.timeline-entries.v1. */
    public CallEvent accepted(CallEvent event) {
        entries.pipeInput(event.getCallId(), Events.entry(event, ++seq));
        return event;
    }

    /** The payloads renderer the topology uses. */
    public WebhookPayloads payloads() {
        return payloads;
    }

    /** A new delivery of a DTMF event of {@code callId} to the subscription, as the fan-out writes it. */
    public WebhookDelivery deliver(String subscriptionId, String callId) {
        WebhookDelivery delivery = payloads.delivery(Events.event(callId, TENANT, Events.dtmf("1")), "dtmf",
                subscriptionId, false);
        outbox.pipeInput(Topics.webhookKey(subscriptionId, callId), delivery);
        return delivery;
    }

    /** The worker's attempt record for item {@code index} of {@code job}, as it writes it. */
    public WebhookAttempt result(DeliveryJob job, int index, AttemptOutcome outcome, String error,
                                 Instant nextAttemptAt) {
        WebhookDelivery delivery = job.deliveries().get(index);
        WebhookAttempt attempt = WebhookAttempt.newBuilder().setAttemptId(job.attemptId(index))
                .setWebhookId(delivery.getWebhookId()).setSubscriptionId(delivery.getSubscriptionId())
                .setTenantId(delivery.getTenantId()).setCallId(delivery.getCallId())
                .setEventType(delivery.getEventType()).setAttempt(job.attemptNumber(index))
                .setAttemptedAt(clock.instant()).setOutcome(outcome)
                .setStatusCode(outcome == AttemptOutcome.DELIVERED ? 200 : 500).setLatencyMs(12).setError(error)
                .setResponseBody(null).setNextAttemptAt(nextAttemptAt).build();
        attempts.pipeInput(job.key(), attempt);
        return attempt;
    }

    /** An attempt record with every field given, e.g. one the worker wrote days ago. */
    public void attempt(WebhookAttempt attempt) {
        attempts.pipeInput(Topics.webhookKey(attempt.getSubscriptionId(), attempt.getCallId()), attempt);
    }

    /** A failed attempt of a new call's delivery to the subscription, made at {@code at}. */
    public static WebhookAttempt failure(String subscriptionId, Instant at, AttemptOutcome outcome, String error) {
        return WebhookAttempt.newBuilder().setAttemptId(UUID.randomUUID() + "/0")
                .setWebhookId(UUID.randomUUID().toString()).setSubscriptionId(subscriptionId).setTenantId(TENANT)
                .setCallId("call-" + UUID.randomUUID()).setEventType("dtmf").setAttempt(1).setAttemptedAt(at)
                .setOutcome(outcome).setStatusCode(outcome == AttemptOutcome.DELIVERED ? 200 : 500)
                .setLatencyMs(12).setError(error).setResponseBody(null).setNextAttemptAt(null).build();
    }

    /** Moves the dispatcher's clock and the driver's wall clock together, firing what fell due. */
    public void advance(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    public Instant now() {
        return clock.instant();
    }

    /** The runs handed to the worker since the last call, oldest first. */
    public List<DeliveryJob> takeJobs() {
        List<DeliveryJob> taken = List.copyOf(jobs);
        jobs.clear();
        return taken;
    }

    public List<WebhookDelivery> deadLetters() {
        return deadLetters.readValuesToList();
    }

    public List<WebhookSubscription> subscriptionUpdates() {
        return subscriptionUpdates.readValuesToList();
    }

    public List<WebhookAttempt> attemptRecords() {
        return attemptRecords.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
