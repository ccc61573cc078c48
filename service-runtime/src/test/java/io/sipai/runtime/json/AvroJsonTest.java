package io.sipai.runtime.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import io.sipai.common.AdmissionCounters;
import io.sipai.common.AdmissionLimit;
import io.sipai.common.EventSource;
import io.sipai.events.CallEvent;
import io.sipai.events.CallRejected;
import io.sipai.events.CallRequested;
import io.sipai.common.CallDirection;
import io.sipai.common.Transport;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.quarantine.QuarantinedRecord;
import org.junit.jupiter.api.Test;

/** The one Avro-to-JSON rendering. */
class AvroJsonTest {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    private static CallEvent event(Object payload) {
        return CallEvent.newBuilder().setEventId("e-1").setCallId("c-1").setTenantId("t-1").setCampaignId(null)
                .setAgentId("a-1").setOccurredAt(AT).setSource(EventSource.API_GATEWAY).setPayload(payload).build();
    }

    @Test
    void anEventRendersInSchemaOrderWithItsPayloadTypedTimestampsAsTextAndMapsSorted() {
        CallEvent event = event(CallRequested.newBuilder().setDirection(CallDirection.OUTBOUND)
                .setTransport(Transport.TWILIO).setFrom("+1").setTo("+2").setMetadata(Map.of("z", "1", "a", "2"))
                .build());

        String json = AvroJson.write(AvroJson.tree(event));

        assertThat(json).isEqualTo("{\"eventId\":\"e-1\",\"callId\":\"c-1\",\"tenantId\":\"t-1\",\"campaignId\":null,"
                + "\"agentId\":\"a-1\",\"occurredAt\":\"2026-12-04T10:00:00Z\",\"source\":\"API_GATEWAY\","
                + "\"payload\":{\"type\":\"CallRequested\",\"direction\":\"OUTBOUND\",\"transport\":\"TWILIO\","
                + "\"from\":\"+1\",\"to\":\"+2\",\"metadata\":{\"a\":\"2\",\"z\":\"1\"}}}");
    }

    @Test
    void aNestedRecordThatIsTheOnlyRecordOfItsFieldIsNotTagged() {
        CallRejected rejected = CallRejected.newBuilder().setLimit(AdmissionLimit.TENANT).setDetail("full")
                .setCounters(AdmissionCounters.newBuilder().setGlobalActive(1).setGlobalLimit(2).setTenantActive(3)
                        .setTenantLimit(3).build()).build();

        Map<String, Object> tree = AvroJson.tree(rejected);

        assertThat(tree.get("counters")).isInstanceOfSatisfying(Map.class,
                counters -> assertThat(counters).doesNotContainKey("type").containsEntry("tenantLimit", 3));
    }

    @Test
    void bytesAreBase64AndControlCharactersAreEscaped() {
        QuarantinedRecord record = QuarantinedRecord.newBuilder().setSourceTopic("t\n\u0001").setPartition(0)
                .setOffset(1).setReasonCode(QuarantineReason.UNDECODABLE).setReason("\"quoted\"")
                .setProcessor("p").setKey(null).setValue(ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xFF}))
                .setQuarantinedAt(AT).build();

        String json = AvroJson.write(AvroJson.tree(record));

        assertThat(json).contains("\"sourceTopic\":\"t\\n\\u0001\"").contains("\"reason\":\"\\\"quoted\\\"\"")
                .contains("\"value\":\"AQL/\"").contains("\"key\":null");
    }
}
