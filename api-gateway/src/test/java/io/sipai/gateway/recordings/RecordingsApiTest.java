package io.sipai.gateway.recordings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.events.CallEvent;
import io.sipai.events.RecordingAvailable;
import io.sipai.gateway.db.jooq.Recordings;
import io.sipai.gateway.db.jooq.Tables;
import io.sipai.gateway.recordings.internal.RecordingRetention;
import io.sipai.gateway.testing.GatewayTest;
import io.sipai.runtime.recordings.FileRecordingStore;
import io.sipai.runtime.recordings.RecordingStore;
import io.sipai.schemas.Topics;
import io.sipai.testing.events.Events;
import io.sipai.testing.kafka.TestKafka;
import io.sipai.timeline.CallStatus;
import io.sipai.timeline.CallTimeline;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/calls/{id}/recording} and {@code /v1/recordings/retention} over loopback: a recording the edge stored
 * and announced is served whole and by ranges to its tenant only, deleted on request, and deleted by the retention
 * sweep once its tenant's retention has passed.
 */
class RecordingsApiTest extends GatewayTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Recordings RECORDINGS_TABLE = Tables.RECORDINGS;

    @Autowired
    RecordingRetention retention;

    @Autowired
    DSLContext db;

    @Test
    void aTenantGetsItsRecordingWholeAndByRangeAndNoOtherTenantSeesIt() throws Exception {
        // given a recording stored and announced for a call of the default tenant
        byte[] audio = audio(48_000);
        String callId = recorded(tenantOf(ADMIN_KEY), audio, Instant.now());

        // when its tenant reads it, then it gets the file as audio/wav
        HttpResponse<byte[]> whole = get(callId, ADMIN_KEY, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.body()).isEqualTo(audio);

        // and a range of it is a 206 with exactly those bytes
        HttpResponse<byte[]> range = get(callId, ADMIN_KEY, "bytes=1000-1999");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 1000-1999/" + audio.length);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(audio, 1000, 2000));

        // and the call shows its recording
        TestKafka.produce(Topics.CALL_TIMELINE, callId, List.of(CallTimeline.newBuilder().setCallId(callId)
                .setTenantId(tenantOf(ADMIN_KEY)).setStatus(CallStatus.ENDED).setDirection(CallDirection.INBOUND)
                .setTransport(Transport.WEBSOCKET).setRequestedAt(Instant.now()).setEntryCount(1)
                .setLastEventId("e1").setLastEventAt(Instant.now()).setVersion(1).build()));
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/v1/calls/" + callId, ADMIN_KEY, null)
                .status() == 200);
        JsonNode shown = call("GET", "/v1/calls/" + callId, ADMIN_KEY, null).json().get("recording");
        assertThat(shown.get("url").stringValue()).isEqualTo("/v1/calls/" + callId + "/recording");
        assertThat(shown.get("contentType").stringValue()).isEqualTo("audio/wav");
        assertThat(shown.get("durationMs").longValue()).isEqualTo(audio.length / 64);

        // and another tenant is told there is no such recording
        String otherKey = newTenant("recordings-other");
        Answer other = call("GET", "/v1/calls/" + callId + "/recording", otherKey, null);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("type").stringValue()).endsWith("/not-found");
        assertThat(call("DELETE", "/v1/calls/" + callId + "/recording", otherKey, null).status()).isEqualTo(404);
        assertThat(get(callId, ADMIN_KEY, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedRecordingIsGoneFromTheStoreAndTheApi() throws Exception {
        // given a tenant's recording
        String key = newTenant("recordings-delete");
        String callId = recorded(tenantOf(key), audio(8_000), Instant.now());
        Path file = RECORDINGS.resolve(tenantOf(key)).resolve(callId + ".wav");
        assertThat(file).exists();

        // when a read-only key tries to delete it, then it may not
        String reader = newKey(key, List.of("read"));
        assertThat(call("DELETE", "/v1/calls/" + callId + "/recording", reader, null).status()).isEqualTo(403);

        // when a write key deletes it
        Answer deleted = call("DELETE", "/v1/calls/" + callId + "/recording", key, null);

        // then the file is gone, and reading or deleting it again is a 404
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(file).doesNotExist();
        assertThat(get(callId, key, null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/calls/" + callId + "/recording", key, null).status()).isEqualTo(404);
    }

    @Test
    void theRetentionSweepDeletesOnlyRecordingsOlderThanTheirTenantsRetention() throws Exception {
        // given a tenant that keeps recordings for 2 days, with one of 3 days ago and one of today
        String key = newTenant("recordings-retention");
        String tenantId = tenantOf(key);
        Answer set = call("PUT", "/v1/recordings/retention", key, Map.of("days", 2));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("effectiveDays").asInt()).isEqualTo(2);
        assertThat(set.json().get("defaultDays").asInt()).isZero();
        String old = recorded(tenantId, audio(4_000), Instant.now().minus(Duration.ofDays(3)));
        String recent = recorded(tenantId, audio(4_000), Instant.now());
        // and another tenant's recording of 3 days ago, kept under the default (keep until deleted)
        String kept = recorded(tenantOf(ADMIN_KEY), audio(4_000), Instant.now().minus(Duration.ofDays(3)));

        // when the retention sweep runs
        retention.sweep();

        // then only the expired one is gone
        assertThat(get(old, key, null).statusCode()).isEqualTo(404);
        assertThat(RECORDINGS.resolve(tenantId).resolve(old + ".wav")).doesNotExist();
        assertThat(get(recent, key, null).statusCode()).isEqualTo(200);
        assertThat(get(kept, ADMIN_KEY, null).statusCode()).isEqualTo(200);
    }

    @Test
    void theSweepDeletesThePartialFilesOfCallsWhoseEdgeDiedButNotOfLiveCalls() throws Exception {
        // given the partial file of a call whose edge died two days ago, and one being written now
        Path abandoned = Files.createDirectories(RECORDINGS.resolve("t-died")).resolve("c-died.wav.part");
        Files.write(abandoned, audio(1_000));
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path live = RECORDINGS.resolve("t-died").resolve("c-live.wav.part");
        Files.write(live, audio(1_000));

        // when the retention sweep runs
        retention.sweep();

        // then only the abandoned one is gone
        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void aRetentionOutsideItsRangeIsRefusedAndNullFollowsTheDefault() {
        String key = newTenant("recordings-retention-bad");
        Answer bad = call("PUT", "/v1/recordings/retention", key, Map.of("days", -1));
        assertThat(bad.status()).isBetween(400, 422);
        assertThat(bad.json().get("detail").stringValue()).contains("days");
        Answer reset = call("PUT", "/v1/recordings/retention", key, "{\"days\":null}");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().has("days")).as("no own retention").isFalse();
        assertThat(reset.json().get("effectiveDays").asInt()).isZero();
        assertThat(call("PUT", "/v1/recordings/retention", newKey(key, List.of("read", "write")),
                Map.of("days", 5)).status()).isEqualTo(403);
    }

    /** Stores a recording as the edge does and projects its RecordingAvailable entry; the call id. */
    private String recorded(String tenantId, byte[] audio, Instant at) throws Exception {
        String callId = "rec-" + UUID.randomUUID();
        RecordingStore.Upload upload = new FileRecordingStore(RECORDINGS).create(tenantId, callId, "wav");
        upload.write(audio, 0, audio.length);
        String location = upload.complete();
        CallEvent event = CallEvent.newBuilder(Events.eventNow(callId, tenantId, RecordingAvailable.newBuilder()
                .setUri(location).setContentType("audio/wav").setDurationMs(audio.length / 64).build()))
                .setOccurredAt(at).build();
        TestKafka.produce(Topics.CALL_TIMELINE_ENTRIES, callId, List.of(Events.entry(event, 1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> projected(callId));
        return callId;
    }

    private boolean projected(String callId) {
        return db.fetchExists(RECORDINGS_TABLE, RECORDINGS_TABLE.CALL_ID.eq(callId));
    }

    private HttpResponse<byte[]> get(String callId, String key, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/calls/" + callId + "/recording"))
                .header("X-API-Key", key);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] audio(int bytes) {
        byte[] audio = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            audio[i] = (byte) (i * 31 + 7);
        }
        return audio;
    }
}
