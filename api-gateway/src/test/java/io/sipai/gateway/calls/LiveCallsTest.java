package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.gateway.calls.LiveTimelineTest.SseClient;
import io.sipai.gateway.calls.LiveTimelineTest.SseEvent;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /v1/calls/events}: a tenant's calls as Server-Sent Events each time one changes, in the state
 * {@code GET /v1/calls/{id}} answers; resumable with Last-Event-ID; never another tenant's calls; and no change is
 * skipped when transactions commit out of order (the stream reads by transaction horizon).
 */
class LiveCallsTest extends GatewayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PATH = "/v1/calls/events";

    @Autowired
    DataSource dataSource;

    @Test
    void aTenantSeesEachOfItsCallsChangeLiveAndNoOtherTenantsCall() throws Exception {
        // given an open stream of the root tenant's calls
        try (SseClient client = SseClient.onPath(port, PATH, ADMIN_KEY, null)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            SseEvent ready = client.next(WAIT);
            assertThat(ready.name()).isEqualTo("ready");
            assertThat(Long.parseLong(ready.id())).isPositive();

            // when another tenant's call and then one of its own are projected, and its own call ends
            String other = project("other-tenant", null, CallStatus.IN_PROGRESS, 1);
            String own = project("default", null, CallStatus.IN_PROGRESS, 1);

            // then it gets its own call as the API reads it, then the end, and never the other tenant's
            JsonNode live = nextCall(client, own);
            assertThat(live.get("status").stringValue()).isEqualTo("IN_PROGRESS");
            assertThat(live.get("tenantId").stringValue()).isEqualTo("default");
            project("default", own, CallStatus.ENDED, 2);
            JsonNode ended = nextCall(client, own);
            assertThat(ended.get("status").stringValue()).isEqualTo("ENDED");
            assertThat(ended.get("version").asLong()).isEqualTo(2);
            assertThat(client.seen()).noneMatch(event -> event.data().contains(other));
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsTheChangesItMissed() throws Exception {
        // given a client that saw the stream up to some point and went away
        String lastId;
        try (SseClient client = SseClient.onPath(port, PATH, ADMIN_KEY, null)) {
            lastId = client.next(WAIT).id();
        }
        // and a call changed while it was away
        String missed = project("default", null, CallStatus.IN_PROGRESS, 1);
        awaitProjected(missed);

        // when it resumes with Last-Event-ID, then it gets that call (caught up before ready, or live just after
        // when another stream held the poller's horizon back) and is ready from where it was or later
        try (SseClient client = SseClient.onPath(port, PATH, ADMIN_KEY, lastId)) {
            JsonNode call = nextCall(client, missed);
            assertThat(call.get("status").stringValue()).isEqualTo("IN_PROGRESS");
            SseEvent ready = client.seen().stream().filter(event -> event.name().equals("ready")).findFirst()
                    .orElseGet(() -> nextReady(client));
            assertThat(Long.parseLong(ready.id())).isGreaterThanOrEqualTo(Long.parseLong(lastId));
        }
    }

    @Test
    void aChangeCommittedAfterALaterOneIsStillSent() throws Exception {
        // given a projected call and an open stream
        String slow = project("default", null, CallStatus.IN_PROGRESS, 1);
        awaitProjected(slow);
        try (SseClient client = SseClient.onPath(port, PATH, ADMIN_KEY, null)) {
            client.nextNamed("ready", WAIT);
            // when a writer changes that call in a transaction it keeps open while another call is projected and
            // read live, and only then commits
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement update = connection.prepareStatement(
                        "update calls set turns = turns + 7 where call_id = ?")) {
                    update.setString(1, slow);
                    assertThat(update.executeUpdate()).isEqualTo(1);
                }
                String fast = project("default", null, CallStatus.IN_PROGRESS, 1);
                awaitProjected(fast);
                connection.commit();
                // then both reach the client: the later commit is not lost behind the other's horizon
                // (the call's own projection may come first when a transaction older than it ran at the join)
                JsonNode changed = nextCall(client, slow);
                while (changed.get("turns").asInt() == 0) {
                    changed = nextCall(client, slow);
                }
                assertThat(changed.get("turns").asInt()).isGreaterThanOrEqualTo(7);
                await().atMost(WAIT).untilAsserted(() -> assertThat(client.seen())
                        .anyMatch(event -> event.data().contains(fast)));
            }
        }
    }

    @Test
    void aBadLastEventIdAndAMissingKeyAreProblemsNotStreams() throws Exception {
        try (SseClient client = SseClient.onPath(port, PATH, ADMIN_KEY, "yesterday")) {
            assertThat(client.status()).isEqualTo(400);
            assertThat(client.contentType()).startsWith("application/problem+json");
        }
        try (SseClient client = SseClient.onPath(port, PATH, null, null)) {
            assertThat(client.status()).isEqualTo(401);
        }
    }

    /** Projects a call summary (a new call when {@code callId} is null) and returns its id. */
    private static String project(String tenantId, String callId, CallStatus status, long version) {
        String id = callId == null ? "calls-" + UUID.randomUUID() : callId;
        CallTimeline timeline = CallTimeline.newBuilder().setCallId(id).setTenantId(tenantId).setStatus(status)
                .setDirection(CallDirection.INBOUND).setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now())
                .setEndedAt(status == CallStatus.ENDED ? Instant.now() : null).setEntryCount(version)
                .setLastEventId("e" + version).setLastEventAt(Instant.now()).setVersion(version).build();
        TestKafka.produce(Topics.CALL_TIMELINE, id, List.of(timeline));
        return id;
    }

    private void awaitProjected(String callId) {
        await().atMost(WAIT).until(() -> call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).status() == 200);
    }

    private static SseEvent nextReady(SseClient client) {
        try {
            return client.nextNamed("ready", WAIT);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code call} event about {@code callId}, skipping others. */
    private static JsonNode nextCall(SseClient client, String callId) throws Exception {
        while (true) {
            SseEvent event = client.nextNamed("call", WAIT);
            JsonNode call = JSON.readTree(event.data());
            if (call.get("id").stringValue().equals(callId)) {
                return call;
            }
        }
    }
}
