package io.sipai.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.sipai.admission.AdmissionDecision;
import io.sipai.common.EndReason;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.events.DtmfReceived;
import io.sipai.schemas.Topics;
import io.sipai.system.support.CustomerWebhooks;
import io.sipai.system.support.Deployment;
import io.sipai.system.support.EdgeCaller;
import io.sipai.system.support.ProviderCalls;
import io.sipai.system.support.ServiceMetrics;
import io.sipai.system.support.TopicTap;
import io.sipai.testing.cluster.KafkaCluster;
import io.sipai.testing.cluster.ServiceNode;
import io.sipai.testing.events.Events;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two realtime-edge nodes with live calls on every transport (own protocol, Twilio, jambonz), one stream-processors
 * and one webhook-dispatcher on the three-broker cluster, a customer's webhook endpoint subscribed to
 * {@code call.ended}. SIGKILL of one edge: its calls end EDGE_LOST within a minute, their slots are freed, their
 * timelines end and the customer gets {@code call.ended} for each; the other node's calls go on. Then the other
 * node, whose journal is on, is killed while the brokers are frozen and its calls' last events are queued: started
 * again, it sends them before it takes calls, each once, as written.
 */
class EdgeFailoverTest {

    private static final String TENANT = "default";
    private static final String TWILIO_TOKEN = "system-twilio-auth-token";
    private static final Duration LOST_WITHIN = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ServiceNode processors;
    private TopicTap<CallEvent> events;
    private TopicTap<CallTimeline> timelines;
    private CustomerWebhooks customer;

    @Test
    void aKilledEdgesCallsEndEdgeLostAndTheOtherEdgesJournalSurvivesItsOwnCrash() {
        try (Deployment deployment = Deployment.start(dir); CustomerWebhooks receiver = CustomerWebhooks.start()) {
            KafkaCluster kafka = deployment.kafka();
            customer = receiver;
            processors = deployment.service("stream-processors", "processors-1", Map.of());
            ServiceNode dispatcher = deployment.service("webhook-dispatcher", "dispatcher-1", Map.of());
            ServiceNode edge1 = deployment.service("realtime-edge", "edge-1", edgeSettings("edge-1", null));
            ServiceNode edge2 = deployment.service("realtime-edge", "edge-2", edgeSettings("edge-2",
                    dir.resolve("journal-edge-2")));
            List<ServiceNode> nodes = List.of(processors, dispatcher, edge1, edge2);
            nodes.forEach(ServiceNode::start);
            nodes.forEach(node -> node.awaitReady(Deployment.READY));
            try (TopicTap<CallEvent> eventTap = TopicTap.start(kafka.bootstrapServers(), Topics.CALL_EVENTS);
                 TopicTap<AdmissionDecision> decisions = TopicTap.start(kafka.bootstrapServers(),
                         Topics.CALL_ADMISSION_DECISIONS);
                 TopicTap<CallTimeline> timelineTap = TopicTap.start(kafka.bootstrapServers(), Topics.CALL_TIMELINE);
                 ProviderCalls gateway = new ProviderCalls(kafka.bootstrapServers(), decisions)) {
                events = eventTap;
                timelines = timelineTap;
                // given: a customer subscribed to call.ended, proven by a call that ends normally
                gateway.write(Topics.WEBHOOK_SUBSCRIPTIONS, "sub-edge-failover", Events.subscription(
                        "sub-edge-failover", TENANT, customer.url(), List.of("call.ended")));
                String probe = "probe-" + UUID.randomUUID();
                try (EdgeCaller call = EdgeCaller.voice(edge2, probe)) {
                    call.hangUp();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> !customer.of("call.ended", probe).isEmpty());
                // and three live calls on each edge
                List<EdgeCaller> onEdge1 = callsOn(edge1, gateway);
                List<EdgeCaller> onEdge2 = callsOn(edge2, gateway);
                List<EdgeCaller> all = new ArrayList<>(onEdge1);
                all.addAll(onEdge2);
                all.forEach(call -> assertThat(call.exchangesAudio()).as(call.callId()).isTrue());
                awaitActiveSlots(6, Duration.ofSeconds(20));

                killedEdgesCallsEndEdgeLost(edge1, onEdge1, onEdge2);
                journalSurvivesACrash(kafka, edge2, onEdge2);
                // and no slot is left held once the re-sent CallEnded events are applied
                awaitActiveSlots(0, Duration.ofSeconds(60));
            }
        }
    }

    /**
     * SIGKILL of edge-1: its calls end EDGE_LOST within a minute (written by admission, not the edge), their slots
     * are free, their timelines end, the customer gets call.ended for each; edge-2's calls go on.
     */
    private void killedEdgesCallsEndEdgeLost(ServiceNode edge1, List<EdgeCaller> onEdge1, List<EdgeCaller> onEdge2) {
        long killedAt = System.nanoTime();
        edge1.kill();

        long lastEnded = 0;
        for (EdgeCaller call : onEdge1) {
            TopicTap.Seen<CallEvent> ended = events.await(event -> event.getCallId().equals(call.callId())
                    && event.getPayload() instanceof CallEnded, LOST_WITHIN, "CallEnded of " + call.callId());
            assertThat(((CallEnded) ended.value().getPayload()).getReason()).isEqualTo(EndReason.EDGE_LOST);
            assertThat(ended.value().getSource()).isEqualTo(EventSource.STREAM_PROCESSORS);
            assertThat(ended.seenAtNanos() - killedAt).isLessThan(LOST_WITHIN.toNanos());
            lastEnded = Math.max(lastEnded, ended.seenAtNanos());
        }
        awaitActiveSlots(3, Duration.ofSeconds(20));
        long lastWebhook = 0;
        for (EdgeCaller call : onEdge1) {
            TopicTap.Seen<CallTimeline> timeline = timelines.await(t -> t.getCallId().equals(call.callId())
                    && t.getStatus() == CallStatus.ENDED, Duration.ofSeconds(30), "ended timeline");
            assertThat(timeline.value().getEndReason()).isEqualTo(EndReason.EDGE_LOST);
            await().atMost(Duration.ofSeconds(60)).until(() -> !customer.of("call.ended", call.callId()).isEmpty());
            CustomerWebhooks.Delivery webhook = customer.of("call.ended", call.callId()).getFirst();
            assertThat(webhook.data().path("reason").asString()).isEqualTo("EDGE_LOST");
            lastWebhook = Math.max(lastWebhook, webhook.receivedAtNanos());
        }
        System.out.printf("RESULT edge-failover: %d calls of the killed edge ended EDGE_LOST %d ms after the kill "
                + "(last CallEnded), call.ended webhooks %d ms after it (last)%n", onEdge1.size(),
                (lastEnded - killedAt) / 1_000_000, (lastWebhook - killedAt) / 1_000_000);
        for (EdgeCaller call : onEdge2) {
            assertThat(call.open()).as(call.callId()).isTrue();
            assertThat(call.exchangesAudio()).as(call.callId()).isTrue();
            assertThat(events.matching(e -> e.getCallId().equals(call.callId())
                    && e.getPayload() instanceof CallEnded)).as(call.callId()).isEmpty();
        }
    }

    private void awaitActiveSlots(int count, Duration timeout) {
        await().atMost(timeout).until(() -> ServiceMetrics.activeSlots(processors, TENANT) == count);
    }

    /**
     * With every broker frozen, the callers of edge-2 press 4, 5, 6 and hang up; edge-2 is killed with those events
     * queued, the brokers thaw, edge-2 starts again: by the time it is ready they are on the topic, as written.
     */
    private void journalSurvivesACrash(KafkaCluster kafka, ServiceNode edge2, List<EdgeCaller> calls) {
        // What the calls wrote so far (the last audio check's speech events too) is on the topic and seen.
        sleep(Duration.ofSeconds(3));
        Map<String, Set<String>> before = new HashMap<>();
        calls.forEach(call -> before.put(call.callId(), eventIds(call.callId())));
        for (int id = 1; id <= kafka.size(); id++) {
            kafka.pause(id);
        }
        try {
            for (EdgeCaller call : calls) {
                List.of("4", "5", "6").forEach(call::dtmf);
                call.hangUp();
            }
            calls.stream().filter(call -> call.kind() != EdgeCaller.Kind.JAMBONZ)
                    .forEach(call -> assertThat(call.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1000));
            sleep(Duration.ofSeconds(1));
            edge2.kill();
        } finally {
            for (int id = 1; id <= kafka.size(); id++) {
                kafka.resume(id);
            }
        }
        long restartedAt = System.nanoTime();
        edge2.startAndAwaitReady(Deployment.READY);
        long readyAfterMs = (System.nanoTime() - restartedAt) / 1_000_000;
        int duplicates = 0;
        double replayed = ServiceMetrics.metric(edge2, "edge_events_replayed_total");
        assertThat(replayed).isGreaterThanOrEqualTo(4.0 * calls.size());
        for (EdgeCaller call : calls) {
            // Sent before the node was ready: only the tap's own reading delay is waited for.
            await().atMost(Duration.ofSeconds(3)).until(() -> edgeEvents(call.callId()).stream()
                    .anyMatch(e -> e.getPayload() instanceof CallEnded));
            List<CallEvent> all = edgeEvents(call.callId());
            Set<String> seen = new HashSet<>();
            List<CallEvent> distinct = all.stream().filter(e -> seen.add(e.getEventId())).toList();
            duplicates += all.size() - distinct.size();
            List<String> written = distinct.stream().filter(e -> !before.get(call.callId()).contains(e.getEventId()))
                    .map(EdgeFailoverTest::describe).toList();
            assertThat(written).as(call.callId()).containsExactly("DtmfReceived 4", "DtmfReceived 5",
                    "DtmfReceived 6", "CallEnded CALLER_HANGUP");
        }
        System.out.printf("RESULT edge-journal: %.0f events of %d calls written while the brokers were frozen and "
                + "killed with the edge reached call.events.v1 from its journal; edge ready %d ms after restart with "
                + "them sent; %d duplicate records (consumers dedupe by eventId)%n", replayed, calls.size(),
                readyAfterMs, duplicates);
    }

    private List<CallEvent> edgeEvents(String callId) {
        return events.matching(e -> e.getCallId().equals(callId) && e.getSource() == EventSource.REALTIME_EDGE)
                .stream().map(TopicTap.Seen::value).toList();
    }

    private Set<String> eventIds(String callId) {
        Set<String> ids = new HashSet<>();
        edgeEvents(callId).forEach(e -> ids.add(e.getEventId()));
        return ids;
    }

    private static String describe(CallEvent event) {
        return event.getPayload().getClass().getSimpleName() + switch (event.getPayload()) {
            case DtmfReceived dtmf -> " " + dtmf.getDigits();
            case CallEnded ended -> " " + ended.getReason();
            default -> "";
        };
    }

    private static Map<String, String> edgeSettings(String name, Path journal) {
        Map<String, String> env = new HashMap<>(Map.of("EDGE_NODE_NAME", name,
                "TWILIO_AUTH_TOKEN", TWILIO_TOKEN));
        if (journal != null) {
            env.put("EDGE_JOURNAL_DIR", journal.toString());
        }
        return env;
    }

    /** One call per transport on {@code edge}; the Twilio and jambonz ones admitted first, as api-gateway does. */
    private static List<EdgeCaller> callsOn(ServiceNode edge, ProviderCalls gateway) {
        String prefix = edge.name() + "-";
        String twilio = prefix + "twilio-" + UUID.randomUUID();
        String jambonz = prefix + "jambonz-" + UUID.randomUUID();
        gateway.admit(twilio, TENANT, Transport.TWILIO);
        gateway.admit(jambonz, TENANT, Transport.JAMBONZ);
        return List.of(EdgeCaller.voice(edge, prefix + "voice-" + UUID.randomUUID()),
                EdgeCaller.twilio(edge, twilio, TENANT, TWILIO_TOKEN), EdgeCaller.jambonz(edge, jambonz, TENANT));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
