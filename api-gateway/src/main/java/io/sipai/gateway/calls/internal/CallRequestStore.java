package io.sipai.gateway.calls.internal;

import static io.sipai.gateway.db.jooq.Tables.CALL_REQUESTS;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import io.sipai.gateway.calls.CallView;
import io.sipai.gateway.calls.Calls;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The gateway's own record of the calls it requests, in {@code call_requests}, of which this is the only writer:
 * the call as requested, its provider and the provider's call id (no event carries them), and the outcomes the
 * gateway sees before the timeline does. The projector is the only writer of {@code calls}; the API reads both
 * ({@link CallStore}), so a call is visible, and its provider callbacks are recognised, from the moment it is
 * requested, before its timeline is projected (or when the timeline processor is down).
 */
@Repository
public class CallRequestStore implements Calls {

    private static final TypeReference<Map<String, String>> PARAMETERS = new TypeReference<>() {
    };

    private final DSLContext db;
    private final CallStore reads;
    private final ObjectMapper mapper;

    public CallRequestStore(DSLContext db, CallStore reads, ObjectMapper mapper) {
        this.db = db;
        this.reads = reads;
        this.mapper = mapper;
    }

    @Override
    public Instant request(NewCall call) {
        Instant requestedAt = call.requestedAt().truncatedTo(ChronoUnit.MILLIS);
        int inserted = db.insertInto(CALL_REQUESTS).set(CALL_REQUESTS.CALL_ID, call.callId())
                .set(CALL_REQUESTS.TENANT_ID, call.tenantId()).set(CALL_REQUESTS.CAMPAIGN_ID, call.campaignId())
                .set(CALL_REQUESTS.AGENT_ID, call.agentId()).set(CALL_REQUESTS.STATUS, "REQUESTED")
                .set(CALL_REQUESTS.DIRECTION, call.direction().name())
                .set(CALL_REQUESTS.TRANSPORT, call.transport().name()).set(CALL_REQUESTS.FROM_PARTY, call.from())
                .set(CALL_REQUESTS.TO_PARTY, call.to()).set(CALL_REQUESTS.PROVIDER, call.provider())
                .set(CALL_REQUESTS.PROVIDER_CALL_SID, call.providerCallSid())
                .set(CALL_REQUESTS.MEDIA_PARAMETERS, call.mediaParameters().isEmpty() ? null
                        : mapper.writeValueAsString(call.mediaParameters()))
                .set(CALL_REQUESTS.REQUESTED_AT, requestedAt.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute();
        if (inserted == 1) {
            return requestedAt;
        }
        return db.select(CALL_REQUESTS.REQUESTED_AT).from(CALL_REQUESTS)
                .where(CALL_REQUESTS.CALL_ID.eq(call.callId())).fetchOptional(r -> r.value1().toInstant())
                .orElse(requestedAt);
    }

    @Override
    public void rejected(String callId) {
        status(callId, "REJECTED");
    }

    @Override
    public void ended(String callId) {
        status(callId, "ENDED");
    }

    @Override
    public void placed(String callId, String providerCallSid) {
        db.update(CALL_REQUESTS).set(CALL_REQUESTS.PROVIDER_CALL_SID, providerCallSid)
                .where(CALL_REQUESTS.CALL_ID.eq(callId)).execute();
    }

    @Override
    public Optional<CallView> find(String callId) {
        return reads.byId(callId);
    }

    @Override
    public Map<String, String> mediaParameters(String callId) {
        return db.select(CALL_REQUESTS.MEDIA_PARAMETERS).from(CALL_REQUESTS).where(CALL_REQUESTS.CALL_ID.eq(callId))
                .fetchOptional().map(r -> r.value1())
                .map(json -> mapper.readValue(json, PARAMETERS)).orElse(Map.of());
    }

    private void status(String callId, String status) {
        db.update(CALL_REQUESTS).set(CALL_REQUESTS.STATUS, status).where(CALL_REQUESTS.CALL_ID.eq(callId)).execute();
    }
}
