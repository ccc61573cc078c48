package io.sipai.edge.admission;

/** The admission request-reply failed: no decision in time, or the decision channel is not usable yet. */
public final class AdmissionException extends RuntimeException {

    public AdmissionException(String message) {
        super(message);
    }
}
