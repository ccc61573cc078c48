package io.sipai.gateway.telephony;

import java.util.Map;

/** How a {@link TelephonyProvider} places and ends outbound calls through its REST API. */
public interface CallOriginator {

    /** Whether the provider's origination settings are present. */
    boolean configured();

    /**
     * What to dial.
     *
     * @param voicemailAction the agent's answering machine action (hangup, leave_message) when it asks for
     *                        detection, else null: a provider with its own detection runs it beside the call
     */
    record Origination(String callId, String tenantId, String agentId, String from, String to,
                       Map<String, String> metadata, String voicemailAction) {
    }

    /**
     * Places the call and returns the provider's call id.
     *
     * @throws OriginationException when the provider refuses or cannot be reached
     */
    String originate(Origination call);

    /** Ends a call the provider placed. */
    void hangup(String providerCallSid);

    /** The provider did not take the request. */
    class OriginationException extends RuntimeException {
        public OriginationException(String message) {
            super(message);
        }

        public OriginationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
