package io.sipai.runtime.kafka;

import io.sipai.quarantine.QuarantineReason;

/**
 * Thrown by a {@link ConsumerLoop.Handler} for a record it can never apply (it does not decode, or the store it
 * writes to refuses it for good). The loop quarantines (or skips) that record and goes on with the rest of the
 * batch; every other exception means "try again later".
 */
public final class UnprocessableRecordException extends RuntimeException {

    private final int index;
    private final QuarantineReason reason;

    /**
     * @param index  position of the record in the batch the handler was given
     * @param reason kind of failure, for the quarantine record
     */
    public UnprocessableRecordException(int index, QuarantineReason reason, String message, Throwable cause) {
        super(message, cause);
        this.index = index;
        this.reason = reason;
    }

    public int index() {
        return index;
    }

    public QuarantineReason reason() {
        return reason;
    }
}
