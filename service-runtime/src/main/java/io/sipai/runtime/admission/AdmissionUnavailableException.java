package io.sipai.runtime.admission;

/** Admission did not decide: no decision in time, or the request could not be written. The caller may retry. */
public final class AdmissionUnavailableException extends RuntimeException {

    public AdmissionUnavailableException(String message) {
        super(message);
    }
}
