package io.sipai.processors.admission.internal;

import io.sipai.admission.AdmissionCommand;
import io.sipai.admission.ReleaseSlot;
import io.sipai.common.EventSource;
import io.sipai.events.CallEnded;
import io.sipai.events.CallEvent;
import io.sipai.schemas.Topics;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns every CallEnded on {@code call.events.v1} (12 partitions, key callId) into a ReleaseSlot command on
 * {@code call.admission.v1} (key {@link Topics#ADMISSION_KEY}), so the one admission task applies releases in the
 * same total order as acquires. The commandId is derived from the event's eventId, and the read of the event and
 * the write of the command commit in one transaction, so each CallEnded releases once; the admission processor
 * treats a release of a call that holds no slot as a no-op anyway.
 *
 * <p>Values arrive as raw bytes: bytes that do not decode are left to the timeline app, which quarantines them
 * once, instead of every consumer of {@code call.events.v1} quarantining the same record.
 */
public final class CallEndedReleaser extends ContextualProcessor<String, byte[], String, AdmissionCommand> {

    @Override
    public void process(Record<String, byte[]> record) {
        CallEvent event = decode(record.value());
        if (event == null || !(event.getPayload() instanceof CallEnded ended) || event.getCallId() == null
                || event.getTenantId() == null) {
            return;
        }
        AdmissionCommand release = AdmissionCommand.newBuilder()
                .setCommandId("call-ended/" + event.getEventId())
                .setCallId(event.getCallId())
                .setTenantId(event.getTenantId())
                .setCampaignId(event.getCampaignId())
                .setAgentId(event.getAgentId())
                .setIssuedAt(event.getOccurredAt())
                .setSource(EventSource.STREAM_PROCESSORS)
                .setCommand(ReleaseSlot.newBuilder().setReason("CallEnded " + ended.getReason()).build())
                .build();
        context().forward(record.withKey(Topics.ADMISSION_KEY).withValue(release));
    }

    private static CallEvent decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return Topics.CALL_EVENTS.valueSerde().deserializer().deserialize(Topics.CALL_EVENTS.name(), bytes);
        } catch (RuntimeException undecodable) {
            return null;
        }
    }
}
