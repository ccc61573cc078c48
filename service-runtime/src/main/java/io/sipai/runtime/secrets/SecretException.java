package io.sipai.runtime.secrets;

/**
 * A sealed secret cannot be opened: unknown key id, tampered or malformed text, or sealed for another owner. The
 * message never contains the secret nor key material.
 */
public class SecretException extends RuntimeException {

    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
