package io.sipai.gateway.projection;

import static io.sipai.gateway.db.jooq.Tables.CALLS;
import static io.sipai.gateway.db.jooq.Tables.TIMELINE_ENTRIES;
import static io.sipai.gateway.db.jooq.Tables.WEBHOOK_ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.EventSource;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRequested;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import io.sipai.webhook.AttemptOutcome;
import io.sipai.webhook.WebhookAttempt;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The projector: idempotent upserts, highest timeline version wins, entries served by the timeline endpoint. */
class ProjectionTest extends GatewayTest {

    @Autowired
    DSLContext db;

    @Test
    void replayingTheTopicsTwiceLeavesTheSameRowsAndAnOlderVersionNeverWins() {
        // given
        String callId = UUID.randomUUID().toString();
        CallTimeline v1 = timeline(callId, 1, CallStatus.REQUESTED);
        CallTimeline v3 = timeline(callId, 3, CallStatus.IN_PROGRESS);
        List<TimelineEntry> entries = List.of(entry(callId, 1), entry(callId, 2), entry(callId, 3));
        WebhookAttempt attempt = new WebhookAttempt("att-" + callId, "evt", "whk", "default", callId, "call.ended",
                1, Instant.now(), AttemptOutcome.DELIVERED, 200, 12L, null, "ok", null);
        // when: everything twice, and the old version after the new one
        for (int round = 0; round < 2; round++) {
            TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(v1, v3, v1));
            TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, entries);
            TestKafka.produce(Topics.WEBHOOK_ATTEMPTS, "whk/" + callId, List.of(attempt));
        }
        // then
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(db.fetchCount(TIMELINE_ENTRIES, TIMELINE_ENTRIES.CALL_ID.eq(callId))).isEqualTo(3);
            assertThat(db.fetchCount(WEBHOOK_ATTEMPTS, WEBHOOK_ATTEMPTS.CALL_ID.eq(callId))).isEqualTo(1);
            assertThat(db.select(CALLS.VERSION, CALLS.STATUS).from(CALLS).where(CALLS.CALL_ID.eq(callId)).fetchOne())
                    .satisfies(row -> {
                        assertThat(row.value1()).isEqualTo(3L);
                        assertThat(row.value2()).isEqualTo("IN_PROGRESS");
                    });
        });
        Answer page = call("GET", "/v1/calls/" + callId + "/timeline?limit=2", ADMIN_KEY, null);
        assertThat(page.json().get("data")).hasSize(2);
        assertThat(page.json().get("data").get(0).get("event").get("payload").get("type").stringValue())
                .isEqualTo("CallRequested");
        Answer rest = call("GET", "/v1/calls/" + callId + "/timeline?after="
                + page.json().get("nextCursor").stringValue(), ADMIN_KEY, null);
        assertThat(rest.json().get("data")).hasSize(1);
        assertThat(rest.json().get("data").get(0).get("seq").longValue()).isEqualTo(3);
    }

    private static CallTimeline timeline(String callId, long version, CallStatus status) {
        return CallTimeline.newBuilder().setCallId(callId).setTenantId("default").setStatus(status)
                .setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET)
                .setRequestedAt(Instant.now()).setEntryCount(version).setLastEventId("e" + version)
                .setLastEventAt(Instant.now()).setVersion(version).build();
    }

    private static TimelineEntry entry(String callId, long seq) {
        CallEvent event = CallEvent.newBuilder().setEventId(callId + "-" + seq).setCallId(callId)
                .setTenantId("default").setOccurredAt(Instant.now()).setSource(EventSource.REALTIME_EDGE)
                .setPayload(new CallRequested(CallDirection.INBOUND, Transport.WEBSOCKET, "+1", "+2", Map.of()))
                .build();
        return new TimelineEntry(callId, "default", seq, event.getEventId(), "CallRequested", event.getOccurredAt(),
                event);
    }
}
