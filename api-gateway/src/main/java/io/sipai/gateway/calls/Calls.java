package io.sipai.gateway.calls;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.sipai.common.CallDirection;
import io.sipai.common.Transport;

/**
 * The calls the gateway requests, as other features (the telephony webhooks) record and read them. What is recorded
 * here is the gateway's own knowledge of a call: that it was requested, its provider and the provider's call id,
 * and the outcomes only the gateway sees at once (admission refused, origination failed). How the call went on is
 * the projection of its timeline, which {@link #find} shows once there is one.
 */
public interface Calls {

    /**
     * A call the gateway requested: outbound through the API, inbound through a provider's webhook.
     *
     * @param mediaParameters what its media connection carries to realtime-edge beside the token: a campaign's or
     *                        the call's own overrides of the agent's features (empty for none)
     */
    record NewCall(String callId, String tenantId, String campaignId, String agentId, CallDirection direction,
                   Transport transport, String from, String to, String provider, String providerCallSid,
                   Instant requestedAt, Map<String, String> mediaParameters) {

        public NewCall {
            mediaParameters = mediaParameters == null ? Map.of() : Map.copyOf(mediaParameters);
        }
    }

    /**
     * Records the call unless it is known already. Returns when the call was first requested (milliseconds, the
     * precision of the events), so a retried provider webhook repeats the original request's time.
     */
    Instant request(NewCall call);

    /** Records that admission refused the call. */
    void rejected(String callId);

    /** Records that the gateway ended the call itself (its origination failed). */
    void ended(String callId);

    /** Records the provider's id of an outbound call once the provider took it. */
    void placed(String callId, String providerCallSid);

    /** The call of any tenant (telephony callbacks carry no API key). */
    Optional<CallView> find(String callId);

    /** The media connection parameters the call was requested with ({@link NewCall#mediaParameters()}). */
    Map<String, String> mediaParameters(String callId);
}
