package io.sipai.gateway.telephony;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.sipai.common.CallDirection;
import io.sipai.schemas.telephony.TelephonyToken;

/**
 * What every provider's webhooks hand over once the request's signature is checked: the generic inbound flow. It
 * routes an inbound call to a tenant and agent, admits it (or recognises an outbound one the API placed), mints its
 * media token ({@link TelephonyToken}, the contract realtime-edge verifies), and turns status callbacks into call
 * events. The provider's controller only translates its protocol: its request into {@link Inbound} or
 * {@link #status}, and the {@link Outcome} into its verbs.
 */
public interface InboundCalls {

    /** Admits a call the provider announced. */
    Outcome admit(TelephonyProvider provider, Inbound inbound);

    /**
     * Publishes the call event a provider status means, if any; false when the call is unknown.
     *
     * @param knownCallId    the sipai call id the provider carries back for calls the API placed, else null
     * @param providerStatus the status in the provider's words (part of the event id, so a retry dedupes)
     * @param progress       what the status means
     * @param durationSec    the call's duration when the provider reports one
     */
    /**
     * Writes the provider's answering machine verdict as MachineDetected; when the agent's action is to hang up,
     * also ends the call (CallEnded VOICEMAIL, the call's gateway end) and hangs it up at the provider. False when the
     * call is unknown.
     *
     * @param detectionMs how long the provider's detection took, when it says
     * @param action      the agent's action: hangup or leave_message (left by realtime-edge after the beep)
     */
    boolean machineAnswered(TelephonyProvider provider, String callId, String providerCallSid, String answeredBy,
                            Long detectionMs, String action);

    boolean status(TelephonyProvider provider, String knownCallId, String providerCallSid, String providerStatus,
                   CallProgress progress, Long durationSec);

    /**
     * A call the provider announced.
     *
     * @param knownCallId the sipai call id of a call the API placed (carried back by the provider), else null
     * @param tenantId    the tenant the webhook URL names, else null
     * @param agentId     the agent the webhook URL names, else null
     */
    record Inbound(String providerCallSid, String knownCallId, String tenantId, String agentId, String from,
                   String to, Map<String, String> metadata) {
    }

    /** Connect the audio (with token) or decline. */
    sealed interface Outcome permits Admitted, Declined {
    }

    /**
     * An admitted call with what realtime-edge needs to let its media connection in.
     *
     * @param overrides a campaign's or the call's overrides of the agent's features, as media connection parameters
     *                  ({@link io.sipai.schemas.telephony.CallOverrides})
     */
    record Admitted(String callId, String tenantId, String agentId, String campaignId, CallDirection direction,
                    String from, String to, String token, Map<String, String> overrides) implements Outcome {

        /**
         * The parameters of the media connection (Twilio {@code <Parameter>}s, jambonz {@code listen} query) in
         * the order of {@link TelephonyToken#PARAMS}, then the overrides; absent values are left out.
         */
        public Map<String, String> mediaParameters() {
            Map<String, String> values = new LinkedHashMap<>();
            values.put(TelephonyToken.PARAM_CALL_ID, callId);
            values.put(TelephonyToken.PARAM_TENANT_ID, tenantId);
            values.put(TelephonyToken.PARAM_TOKEN, token);
            values.put(TelephonyToken.PARAM_AGENT_ID, agentId);
            values.put(TelephonyToken.PARAM_CAMPAIGN_ID, campaignId);
            values.put(TelephonyToken.PARAM_FROM, from);
            values.put(TelephonyToken.PARAM_TO, to);
            values.put(TelephonyToken.PARAM_DIRECTION, direction.name().toLowerCase(Locale.ROOT));
            values.values().removeIf(Objects::isNull);
            overrides.forEach(values::putIfAbsent);
            return values;
        }
    }

    /** A refused call: the limit admission named ({@code UNKNOWN} when it did not decide) and why. */
    record Declined(String callId, String limit, String detail) implements Outcome {
    }
}
