package io.sipai.gateway.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.gateway.calls.internal.CallEventStreams;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import io.sipai.timeline.TimelineEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code GET /v1/calls/{id}/events}: the call's timeline entries as Server-Sent Events while they are projected,
 * resumable with Last-Event-ID, ending after CallEnded; tenant-scoped and authenticated like the rest of the API.
 */
class LiveTimelineTest extends GatewayTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    private CallEventStreams liveStreams;

    @Test
    void aClientSeesTheEntriesWrittenSoFarThenEachNewOneLiveThenTheEnd() throws Exception {
        // given a call with two projected entries
        String callId = projectCall("default");
        List<CallEvent> events = List.of(Events.eventNow(callId, "default", Events.requested()),
                Events.eventNow(callId, "default", Events.started()),
                Events.eventNow(callId, "default", Events.ended(EndReason.CALLER_HANGUP)));
        project(events.get(0), 1);
        project(events.get(1), 2);

        // when a client opens the stream
        try (SseClient client = SseClient.open(port, callId, ADMIN_KEY, null)) {
            // then it gets both, numbered by seq
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            SseEvent first = client.next(WAIT);
            assertThat(first.id()).isEqualTo("1");
            assertThat(first.name()).isEqualTo("entry");
            assertThat(JSON.readTree(first.data()).get("event").get("payload").get("type").stringValue())
                    .isEqualTo("CallRequested");
            assertThat(client.next(WAIT).id()).isEqualTo("2");

            // and when the call ends, that entry arrives live, then the end, then the stream closes
            project(events.get(2), 3);
            SseEvent ended = client.next(WAIT);
            assertThat(ended.id()).isEqualTo("3");
            assertThat(JSON.readTree(ended.data()).get("eventType").stringValue()).isEqualTo("CallEnded");
            assertThat(client.next(WAIT).name()).isEqualTo("end");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsOnlyWhatItMissedAndOneResumingPastTheEndGetsTheEnd() throws Exception {
        // given an ended call of three entries
        String callId = projectCall("default");
        project(Events.eventNow(callId, "default", Events.requested()), 1);
        project(Events.eventNow(callId, "default", Events.started()), 2);
        project(Events.eventNow(callId, "default", Events.ended(EndReason.AGENT_HANGUP)), 3);

        // when a client resumes after entry 2, then it gets 3 and the end
        try (SseClient client = SseClient.open(port, callId, ADMIN_KEY, "2")) {
            assertThat(client.next(WAIT).id()).isEqualTo("3");
            assertThat(client.next(WAIT).name()).isEqualTo("end");
        }
        // and when one resumes after the end, then it gets the end at once
        try (SseClient client = SseClient.open(port, callId, ADMIN_KEY, "3")) {
            assertThat(client.next(WAIT).name()).isEqualTo("end");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void theStreamOfACallAdmissionRefusedEndsAfterTheRefusal() throws Exception {
        // given a call admission refused
        String callId = projectCall("default");
        project(Events.eventNow(callId, "default", Events.requested()), 1);
        project(Events.eventNow(callId, "default", CallRejected.newBuilder().setLimit(AdmissionLimit.TENANT)
                .setDetail("tenant limit 1 reached").setCounters(new AdmissionCounters(1, 10, 1, 1, null, null))
                .build()), 2);

        // when a client opens its stream, then it gets both entries and the end
        try (SseClient client = SseClient.open(port, callId, ADMIN_KEY, null)) {
            assertThat(client.next(WAIT).id()).isEqualTo("1");
            assertThat(JSON.readTree(client.next(WAIT).data()).get("eventType").stringValue())
                    .isEqualTo("CallRejected");
            assertThat(client.next(WAIT).name()).isEqualTo("end");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void aClientOfACallWithNoEntryYetGetsTheStreamAtOnceNotAtTheFirstKeepAlive() throws Exception {
        // given a projected call with no entry yet, and a client that already saw it streamable
        String callId = projectCall("default");
        SseClient.open(port, callId, ADMIN_KEY, null).close();

        // when a client opens its stream
        long started = System.nanoTime();
        try (SseClient client = SseClient.once(port, callId, ADMIN_KEY, null)) {
            // then the stream's headers arrive at once (the keep-alive comes after 15 s)
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
        }
    }

    @Test
    void stoppingTheInstanceEndsTheStreamOfACallInProgressSoItsShutdownDoesNotWaitForIt() throws Exception {
        // given a client watching a call in progress
        String callId = projectCall("default");
        project(Events.eventNow(callId, "default", Events.requested()), 1);
        try (SseClient client = SseClient.open(port, callId, ADMIN_KEY, null)) {
            assertThat(client.next(WAIT).id()).isEqualTo("1");

            // when the instance stops its live streams (the phase before the web server's graceful shutdown)
            liveStreams.stop();
            try {
                // then the response ends at once (not at the next 15 s keep-alive), so no request stays in
                // progress to hold the shutdown
                assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
            } finally {
                liveStreams.start();
            }
        }
    }

    @Test
    void anotherTenantsCallABadLastEventIdAndAMissingKeyAreProblemsNotStreams() throws Exception {
        // given a call of another tenant
        String otherCall = projectCall("other-tenant");
        String ownCall = projectCall("default");
        SseClient.open(port, ownCall, ADMIN_KEY, null).close();

        // (projected by now: the root tenant's own call, projected after it, streams)

        // when the root tenant's key asks for it, then 404; a bad Last-Event-ID 400; no key 401
        try (SseClient client = SseClient.once(port, otherCall, ADMIN_KEY, null)) {
            assertThat(client.status()).isEqualTo(404);
            assertThat(client.contentType()).startsWith("application/problem+json");
        }
        try (SseClient client = SseClient.once(port, ownCall, ADMIN_KEY, "seven")) {
            assertThat(client.status()).isEqualTo(400);
        }
        try (SseClient client = SseClient.once(port, ownCall, null, null)) {
            assertThat(client.status()).isEqualTo(401);
        }
    }

    private static String projectCall(String tenantId) {
        String callId = "live-" + UUID.randomUUID();
        CallTimeline timeline = CallTimeline.newBuilder().setCallId(callId).setTenantId(tenantId)
                .setStatus(CallStatus.IN_PROGRESS).setDirection(CallDirection.INBOUND)
                .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(1)
                .setLastEventId("e1").setLastEventAt(Instant.now()).setVersion(1).build();
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(timeline));
        return callId;
    }

    private static void project(CallEvent event, long seq) {
        TimelineEntry entry = Events.entry(event, seq);
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, event.getCallId(), List.of(entry));
    }

    /** One Server-Sent Event as the wire gave it. */
    record SseEvent(String id, String name, String data) {
    }

    /** A client of the stream reading over loopback on its own thread, as a browser's fetch reader would. */
    static final class SseClient implements AutoCloseable {

        private static final SseEvent CLOSED = new SseEvent(null, "closed", null);
        private final HttpResponse<java.util.stream.Stream<String>> response;
        private final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
        private final List<SseEvent> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread reader;

        private SseClient(HttpResponse<java.util.stream.Stream<String>> response) {
            this.response = response;
            this.reader = Thread.ofPlatform().daemon().start(this::read);
        }

        /** Opens the stream once the call is projected (until then it is unknown: 404). */
        static SseClient open(int port, String callId, String key, String lastEventId) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                SseClient client = once(port, callId, key, lastEventId);
                if (client.status() != 404 || System.nanoTime() > deadline) {
                    return client;
                }
                client.close();
                Thread.sleep(100);
            }
        }

        static SseClient once(int port, String callId, String key, String lastEventId) throws Exception {
            return onPath(port, "/v1/calls/" + callId + "/events", key, lastEventId);
        }

        /** Opens the stream at {@code path} once, whatever it answers. */
        static SseClient onPath(int port, String path, String key, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Accept", "text/event-stream");
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        }

        int status() {
            return response.statusCode();
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        SseEvent next(Duration timeout) throws InterruptedException {
            SseEvent event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(event).as("an event within " + timeout).isNotNull();
            return event;
        }

        /** The next event named {@code name}, skipping others. */
        SseEvent nextNamed(String name, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                SseEvent event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (event.name().equals(name)) {
                    return event;
                }
            }
        }

        /** Every event received so far, read or not. */
        List<SseEvent> seen() {
            return List.copyOf(all);
        }

        boolean awaitClosed(Duration timeout) throws InterruptedException {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS) == CLOSED;
        }

        private void read() {
            String id = null;
            String name = null;
            List<String> data = new ArrayList<>();
            try {
                for (String line : (Iterable<String>) response.body()::iterator) {
                    if (line.isEmpty()) {
                        if (name != null || !data.isEmpty()) {
                            SseEvent event = new SseEvent(id, name == null ? "message" : name,
                                    String.join("\n", data));
                            all.add(event);
                            events.add(event);
                        }
                        id = null;
                        name = null;
                        data = new ArrayList<>();
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(5).stripLeading());
                    }
                }
            } catch (RuntimeException e) {
                // the stream was closed under the reader
            }
            events.add(CLOSED);
        }

        @Override
        public void close() {
            response.body().close();
            reader.interrupt();
        }
    }
}
