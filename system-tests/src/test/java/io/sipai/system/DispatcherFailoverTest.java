package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.sipai.events.CallEvent;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.WebhookReceiver.Arrival;
import io.sipai.system.support.WebhookReceiver;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.events.Events;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks keep arriving while dispatcher instances die. Two webhook-dispatcher processes on the three-broker
 * cluster deliver the call events of many calls to two slow endpoints of one tenant (subscriptions written to
 * webhook.subscriptions.v1 as api-gateway writes them, timeline entries to call.timeline-entries.v1 as
 * stream-processors writes them: the dispatcher fans out what the timeline accepted); while a wave of events is
 * being delivered, one dispatcher is SIGKILLed, twice (restarted in between). What the customer's endpoint sees:
 * every event at least once, in order per (subscription, call), a re-sent delivery with the same {@code webhook-id}
 * and a valid signature, and never more requests open at once per endpoint than the configured cap, counted over the
 * whole deployment.
 */
class DispatcherFailoverTest {

    private static final int CAP = 4;
    private static final int CALLS = 40;
    private static final int EVENTS_PER_WAVE = 5;
    private static final int WAVES = 2;
    private static final Duration ENDPOINT_DELAY = Duration.ofMillis(150);
    private static final Duration WAVE_DELIVERED = Duration.ofSeconds(90);
    private static final String TENANT = "tenant-failover";
    private static final List<String> SUBSCRIPTIONS = List.of("sub-a", "sub-b");
    /** Short failover settings; the defaults are production's (see docs/webhooks.md). */
    private static final Map<String, String> SETTINGS = Map.of(
            "WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT", String.valueOf(CAP),
            "WEBHOOK_SESSION_TIMEOUT", "6s", "WEBHOOK_INSTANCES_REFRESH", "1s",
            "WEBHOOK_CONNECT_TIMEOUT", "1s", "WEBHOOK_REQUEST_TIMEOUT", "3s");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    /** Event ids of each call in the order they were written. */
    private final Map<String, List<String>> written = new LinkedHashMap<>();

    /** A SIGKILL: when, and which (subscription, call) keys still waited for a delivery then. */
    private record Kill(long atNanos, Set<String> waiting) {
    }

    @Test
    void givenTwoDispatchers_whenOneIsKilledMidDeliveryAndRestartedTwice_thenEveryEventArrivesInOrderWithinTheCap() {
        long begin = System.nanoTime();
        try (Deployment deployment = Deployment.start(dir);
             WebhookReceiver receiver = WebhookReceiver.start(ENDPOINT_DELAY);
             KafkaProducer<byte[], byte[]> producer = producer(deployment)) {
            // given two dispatchers that know two subscriptions of the tenant, each to every event type
            for (String subscription : SUBSCRIPTIONS) {
                send(producer, Topics.WEBHOOK_SUBSCRIPTIONS, subscription,
                        Events.subscription(subscription, TENANT, receiver.url(subscription), List.of("*")));
            }
            ServiceNode first = deployment.service("webhook-dispatcher", "dispatcher-1", SETTINGS);
            ServiceNode second = deployment.service("webhook-dispatcher", "dispatcher-2", SETTINGS);
            first.start();
            second.start();
            first.awaitReady(Deployment.READY);
            second.awaitReady(Deployment.READY);
            long ready = System.nanoTime();

            // when, in each wave, the second dispatcher is killed while deliveries are in flight, the first takes
            // its calls over, and it is restarted (the next wave starts once it is ready again, beside the survivor)
            List<Kill> kills = new ArrayList<>();
            for (int wave = 0; wave < WAVES; wave++) {
                int delivered = distinct(receiver.arrivals());
                int expected = writeWave(producer, wave);
                awaitUntil(() -> distinct(receiver.arrivals()) >= delivered + (expected - delivered) * 2 / 5
                        && receiver.openNow() > 0, WAVE_DELIVERED, "deliveries of wave " + wave + " in flight");
                Kill kill = kill(second, receiver);
                kills.add(kill);
                awaitUntil(() -> resumed(receiver.arrivals(), kill) >= 0, WAVE_DELIVERED,
                        "every call waiting at kill " + kills.size() + " delivered again");
                if (wave + 1 < WAVES) {
                    // (after the last kill the survivor alone delivers the rest: a restart would prove nothing more)
                    second.startAndAwaitReady(Deployment.READY);
                }
            }
            awaitUntil(() -> distinct(receiver.arrivals()) >= written.values().stream().mapToInt(List::size).sum()
                    * SUBSCRIPTIONS.size(), WAVE_DELIVERED, "every delivery");

            // then every event arrived, in order per (subscription, call), re-sent ones as they were first sent
            List<Arrival> arrivals = receiver.arrivals();
            assertEveryEventArrivedInOrderPerSubscriptionAndCall(arrivals);
            assertEveryRequestIsSignedAndNamesItsEvent(arrivals);
            // and the endpoints never had more requests open than the cap, both dispatchers together
            for (String subscription : SUBSCRIPTIONS) {
                assertThat(receiver.mostOpen(subscription)).as(subscription).isBetween(1, CAP);
            }
            report(arrivals, kills, receiver, begin, ready);
        }
    }

    /** Writes {@link #EVENTS_PER_WAVE} events of every call; returns the deliveries expected once it arrived. */
    private int writeWave(KafkaProducer<byte[], byte[]> producer, int wave) {
        for (int i = 0; i < EVENTS_PER_WAVE; i++) {
            for (int call = 0; call < CALLS; call++) {
                String callId = String.format(Locale.ROOT, "call-%02d", call);
                CallEvent event = Events.eventNow(callId, TENANT, Events.dtmf(Integer.toString(i)));
                List<String> ids = written.computeIfAbsent(callId, id -> new ArrayList<>());
                ids.add(event.getEventId());
                send(producer, Topics.CALL_TIMELINE_ENTRIES, callId, Events.entry(event, ids.size()));
            }
        }
        producer.flush();
        return (wave + 1) * EVENTS_PER_WAVE * CALLS * SUBSCRIPTIONS.size();
    }

    /** SIGKILLs the node, noting which keys still waited for a delivery at that moment. */
    private Kill kill(ServiceNode node, WebhookReceiver receiver) {
        node.kill();
        long at = System.nanoTime();
        Map<String, Set<String>> arrived = arrivedByKey(receiver.arrivals());
        Set<String> waiting = new HashSet<>();
        for (String subscription : SUBSCRIPTIONS) {
            written.forEach((call, ids) -> {
                String key = subscription + "/" + call;
                if (!arrived.getOrDefault(key, Set.of()).containsAll(ids)) {
                    waiting.add(key);
                }
            });
        }
        return new Kill(at, waiting);
    }

    private void assertEveryEventArrivedInOrderPerSubscriptionAndCall(List<Arrival> arrivals) {
        Map<String, List<String>> firstArrivals = new HashMap<>();
        for (Arrival arrival : arrivals) {
            List<String> seen = firstArrivals.computeIfAbsent(key(arrival), k -> new ArrayList<>());
            if (!seen.contains(arrival.webhookId())) {
                seen.add(arrival.webhookId());
            }
        }
        for (String subscription : SUBSCRIPTIONS) {
            written.forEach((call, ids) -> assertThat(firstArrivals.get(subscription + "/" + call))
                    .as("first arrivals of %s at %s", call, subscription).containsExactlyElementsOf(ids));
        }
    }

    private static void assertEveryRequestIsSignedAndNamesItsEvent(List<Arrival> arrivals) {
        for (Arrival arrival : arrivals) {
            JsonNode data = JSON.readTree(arrival.body()).get("data");
            assertThat(data.get("eventId").stringValue()).as("webhook-id").isEqualTo(arrival.webhookId());
            assertThat(arrival.signature().split(" ")).as("signature of %s", arrival.webhookId())
                    .contains(signature(arrival));
        }
    }

    private void report(List<Arrival> arrivals, List<Kill> kills, WebhookReceiver receiver, long begin, long ready) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "RESULT DispatcherFailoverTest instances=2 cap=%d events=%d deliveries=%d requests=%d "
                        + "max_concurrency=%d", CAP, written.values().stream().mapToInt(List::size).sum(),
                distinct(arrivals), arrivals.size(),
                SUBSCRIPTIONS.stream().mapToInt(receiver::mostOpen).max().orElse(0)));
        for (int i = 0; i < kills.size(); i++) {
            Kill kill = kills.get(i);
            line.append(String.format(Locale.ROOT, " kill%d_waiting_keys=%d kill%d_to_all_resumed_ms=%d "
                    + "kill%d_to_first_resent_ms=%d kill%d_duplicates=%d", i + 1, kill.waiting().size(), i + 1,
                    resumed(arrivals, kill), i + 1, firstResent(arrivals, kill), i + 1,
                    duplicatesAfter(arrivals, kill, i + 1 < kills.size() ? kills.get(i + 1) : null)));
        }
        line.append(String.format(Locale.ROOT, " ready_ms=%d total_ms=%d", millis(ready - begin),
                millis(System.nanoTime() - begin)));
        System.out.println(line);
    }

    /** When the last key that waited at the kill got its next delivery after the kill; -1 while one has not. */
    private static long resumed(List<Arrival> arrivals, Kill kill) {
        Map<String, Long> next = new HashMap<>();
        for (Arrival arrival : arrivals) {
            if (arrival.atNanos() > kill.atNanos()) {
                next.putIfAbsent(key(arrival), arrival.atNanos());
            }
        }
        if (!next.keySet().containsAll(kill.waiting())) {
            return -1;
        }
        return kill.waiting().stream().mapToLong(key -> millis(next.get(key) - kill.atNanos())).max().orElse(0);
    }

    /** When the first delivery that had arrived before the kill arrived again (the dead one's run, re-sent). */
    private static long firstResent(List<Arrival> arrivals, Kill kill) {
        Set<String> seen = new HashSet<>();
        for (Arrival arrival : arrivals) {
            if (!seen.add(arrival.subscription() + "/" + arrival.webhookId()) && arrival.atNanos() > kill.atNanos()) {
                return millis(arrival.atNanos() - kill.atNanos());
            }
        }
        return -1;
    }

    /** Requests between this kill and the next for a delivery that had arrived before. */
    private static long duplicatesAfter(List<Arrival> arrivals, Kill kill, Kill next) {
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        for (Arrival arrival : arrivals) {
            boolean after = arrival.atNanos() > kill.atNanos() && (next == null || arrival.atNanos() < next.atNanos());
            if (!seen.add(arrival.subscription() + "/" + arrival.webhookId()) && after) {
                duplicates++;
            }
        }
        return duplicates;
    }

    private static Map<String, Set<String>> arrivedByKey(List<Arrival> arrivals) {
        Map<String, Set<String>> arrived = new HashMap<>();
        arrivals.forEach(arrival -> arrived.computeIfAbsent(key(arrival), k -> new HashSet<>())
                .add(arrival.webhookId()));
        return arrived;
    }

    /** (subscription, call) of a request, from its body. */
    private static String key(Arrival arrival) {
        return arrival.subscription() + "/" + JSON.readTree(arrival.body()).get("data").get("callId").stringValue();
    }

    private static int distinct(List<Arrival> arrivals) {
        return (int) arrivals.stream().map(a -> a.subscription() + "/" + a.webhookId()).distinct().count();
    }

    /** The Standard Webhooks signature the request must carry, computed from {@link Events#SECRET}. */
    private static String signature(Arrival arrival) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(Events.SECRET.substring("whsec_".length())),
                    "HmacSHA256"));
            byte[] digest = mac.doFinal((arrival.webhookId() + "." + arrival.timestamp() + "." + arrival.body())
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Deployment deployment) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                deployment.kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static <V> void send(KafkaProducer<byte[], byte[]> producer, Topic<String, V> topic, String key,
                                 V value) {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }

    private static void awaitUntil(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
