package io.sipai.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.sipai.common.EndReason;
import io.sipai.dispatcher.DispatcherTopology;
import io.sipai.dispatcher.delivery.DeliveryJob;
import io.sipai.dispatcher.testing.DispatcherDriver;
import io.sipai.events.CallEvent;
import io.sipai.events.UserSpeechStarted;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks are made from the call timelines, given/when/then on the TopologyTestDriver: the fan-out reads
 * call.timeline-entries.v1, never the raw call.events.v1, so an event a timeline quarantined (a second CallEnded, a
 * late or out-of-order event, a duplicate) never becomes a webhook; each accepted event becomes one delivery per
 * subscription with the webhook-id and body the documentation promises (both derived from the event alone).
 */
class TimelineFanOutTest {

    private final DispatcherDriver dispatcher = new DispatcherDriver();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void theFanOutReadsOnlyTheTimelineEntriesSoNoRawEventBecomesAWebhook() {
        // given the dispatcher's topology
        TopologyDescription description = DispatcherTopology.build(new WebhookPayloads("https://api.example.com"),
                job -> { }, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(30)).describe();

        // when the topics its sources read are listed
        Set<String> read = new TreeSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source) {
                read.addAll(source.topicSet());
            }
        }));

        // then call events reach it only as timeline entries
        assertThat(read).contains(Topics.CALL_TIMELINE_ENTRIES.name()).doesNotContain(Topics.CALL_EVENTS.name());
    }

    @Test
    void anAcceptedEventBecomesOneDeliveryPerSubscriptionWithItsEventIdAsWebhookIdAndTheDocumentedBody() {
        // given two subscriptions of the tenant to every type
        dispatcher.subscribe("sub-1");
        dispatcher.subscribe("sub-2");

        // when the timeline accepts a call's CallEnded
        CallEvent ended = dispatcher.accepted(Events.event("call-1", DispatcherDriver.TENANT,
                Events.ended(EndReason.CALLER_HANGUP)));

        // then each subscription gets that event, with the webhook-id and body made from the event itself
        List<DeliveryJob> jobs = dispatcher.takeJobs().stream().sorted(Comparator.comparing(DeliveryJob::key))
                .toList();
        assertThat(jobs).extracting(DeliveryJob::key).containsExactly(Topics.webhookKey("sub-1", "call-1"),
                Topics.webhookKey("sub-2", "call-1"));
        String body = dispatcher.payloads().body(ended, "call.ended");
        assertThat(jobs).allSatisfy(job -> assertThat(job.deliveries()).singleElement().satisfies(delivery -> {
            assertThat(delivery.getWebhookId()).isEqualTo(ended.getEventId());
            assertThat(delivery.getEventType()).isEqualTo("call.ended");
            assertThat(delivery.getOccurredAt()).isEqualTo(ended.getOccurredAt());
            assertThat(delivery.getPayloadJson()).isEqualTo(body);
            assertThat(delivery.getReplay()).isFalse();
        }));
    }

    @Test
    void anAcceptedEventWithoutAWebhookTypeMakesNoDelivery() {
        // given a subscription to every type
        dispatcher.subscribe("sub-1");

        // when the timeline accepts a speech-start marker, then a DTMF
        dispatcher.accepted(Events.event("call-1", DispatcherDriver.TENANT,
                UserSpeechStarted.newBuilder().setAudioOffsetMs(0).setTurn(1).build()));
        CallEvent dtmf = dispatcher.event("call-1");

        // then only the DTMF is delivered
        assertThat(dispatcher.takeJobs()).singleElement().satisfies(job -> assertThat(job.deliveries())
                .extracting(WebhookDelivery::getWebhookId).containsExactly(dtmf.getEventId()));
    }
}
