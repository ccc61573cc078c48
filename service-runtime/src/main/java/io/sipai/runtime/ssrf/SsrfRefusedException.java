package io.sipai.runtime.ssrf;

/** The SSRF guard refused a webhook URL or the address it resolves to; the message says why. */
public class SsrfRefusedException extends Exception {

    public SsrfRefusedException(String message) {
        super(message);
    }
}
