package io.sipai.gateway.db.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The login new connections use, read from its {@link CredentialsSource} once at start and again only after
 * PostgreSQL refused it. Many connections opened at once (the pool refilling after a rotation) all fail with the
 * old password; the first to ask re-reads, the others get what it read, and a store that still holds a refused
 * password is asked at most once per {@code minReread}, so neither a burst nor a lasting mismatch hammers it. A
 * read that brought a new login does not hold back the next one: that login may be refused at once (the store
 * rotated ahead of the database) or much later (the next rotation).
 */
public final class CredentialsCache {

    private final CredentialsSource source;
    private final long minRereadNanos;
    private final LongSupplier nanoTime;
    private DbCredentials current;
    private long readAt;
    private boolean lastReadChanged = true;

    /** Reads the source once: a store that cannot be read stops the start with its reason. */
    public CredentialsCache(CredentialsSource source, Duration minReread, LongSupplier nanoTime) throws IOException {
        this.source = source;
        this.minRereadNanos = minReread.toNanos();
        this.nanoTime = nanoTime;
        this.current = source.read();
        this.readAt = nanoTime.getAsLong();
    }

    /** The login to use for a new connection. */
    public synchronized DbCredentials current() {
        return current;
    }

    /**
     * After PostgreSQL refused {@code refused}: the login to try instead, which is {@code refused} itself when the
     * store holds no other now (or was asked too recently to ask again).
     *
     * @throws IOException the store could not be read; the login stays as it was
     */
    public synchronized DbCredentials afterRefusal(DbCredentials refused) throws IOException {
        if (!current.equals(refused) || !source.rereadable()) {
            return current;
        }
        long now = nanoTime.getAsLong();
        if (!lastReadChanged && now - readAt < minRereadNanos) {
            return current;
        }
        readAt = now;
        lastReadChanged = false;
        DbCredentials read = source.read();
        lastReadChanged = !read.equals(current);
        current = read;
        return current;
    }

    /** The store, for log lines and errors. */
    public String describe() {
        return source.describe();
    }
}
