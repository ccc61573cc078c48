package io.sipai.gateway.db.internal;

import java.io.IOException;

/**
 * Where the gateway's database password lives: {@code DB_PASSWORD} (fixed), {@code DB_PASSWORD_FILE} or
 * {@code DB_SECRET_ARN}. {@link #read} goes to the store each time it is called; {@link CredentialsCache} decides
 * when that is.
 */
public interface CredentialsSource extends AutoCloseable {

    /** The login the store holds now. */
    DbCredentials read() throws IOException;

    /** Whether a second read may give another password ({@code DB_PASSWORD} never does). */
    boolean rereadable();

    /** The store for log lines and errors, e.g. {@code DB_PASSWORD_FILE /run/secrets/db/password}; no secret. */
    String describe();

    @Override
    default void close() {
    }
}
