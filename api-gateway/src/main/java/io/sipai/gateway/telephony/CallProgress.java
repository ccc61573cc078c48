package io.sipai.gateway.telephony;

/** What a provider's call status means for the call, whatever the provider calls it. */
public enum CallProgress {
    /** The called party answered. */
    ANSWERED,
    /** The call ended normally. */
    COMPLETED,
    /** The called party was busy. */
    BUSY,
    /** Nobody answered. */
    NO_ANSWER,
    /** The provider could not connect the call, or it was canceled before it connected. */
    FAILED,
    /** Nothing the call's events record (queued, ringing, ...). */
    NONE;

    /**
     * The meaning of a status in the vocabulary Twilio ({@code CallStatus}) and jambonz ({@code call_status})
     * share: {@code in-progress}, {@code completed}, {@code busy}, {@code no-answer}, {@code failed},
     * {@code canceled}; anything else means nothing here.
     */
    public static CallProgress ofCommonStatus(String status) {
        return switch (status == null ? "" : status) {
            case "in-progress" -> ANSWERED;
            case "completed" -> COMPLETED;
            case "busy" -> BUSY;
            case "no-answer" -> NO_ANSWER;
            case "failed", "canceled" -> FAILED;
            default -> NONE;
        };
    }
}
