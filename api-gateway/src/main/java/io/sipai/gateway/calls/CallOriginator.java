package io.sipai.gateway.calls;

import java.util.Map;

/** A telephony provider that can place and end outbound calls through its REST API. */
public interface CallOriginator {

    /** Provider name as used in the API: {@code jambonz} or {@code twilio}. */
    String provider();

    /** Whether the provider's settings are present. */
    boolean configured();

    /** What to dial. */
    record Origination(String callId, String tenantId, String agentId, String from, String to,
                       Map<String, String> metadata) {
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
