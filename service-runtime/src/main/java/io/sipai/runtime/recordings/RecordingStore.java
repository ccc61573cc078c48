package io.sipai.runtime.recordings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where call recordings are kept: realtime-edge writes them while the call runs, api-gateway serves and deletes
 * them. A recording has a location (a URI the store hands out when it completes, kept in {@code RecordingAvailable});
 * a store only ever opens or deletes its own locations, so a stored location can never make a reader open anything
 * else. Implementations: {@link FileRecordingStore} ({@code file:}, the one-machine run and shared volumes) and
 * {@link S3RecordingStore} ({@code s3://}). Thread-safe.
 */
public interface RecordingStore {

    /** Ids become file names and object keys: only these characters, so no id can leave its tenant's place. */
    Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /** The store the settings name, or empty when none is configured. */
    static Optional<RecordingStore> of(RecordingStoreSettings settings) {
        if (!settings.configured()) {
            return Optional.empty();
        }
        return Optional.of(settings.s3() ? S3RecordingStore.of(settings) : new FileRecordingStore(settings.directory()));
    }

    /** Starts writing the recording of one call; complete or close it. Does no network I/O. */
    Upload create(String tenantId, String callId, String extension);

    /** A recording this store handed out, or empty when the location is not one of its own or the recording is gone. */
    Optional<Stored> open(String location);

    /**
     * Deletes a recording this store handed out (gone already is fine).
     *
     * @throws IllegalArgumentException when the location is not one of this store's (another store, another mount)
     * @throws UncheckedIOException     when the recording exists and cannot be deleted
     */
    void delete(String location);

    /**
     * Deletes up to {@code limit} pieces of recordings that were never completed and not written to since
     * {@code before} (their edge died mid-call; a live recording is written every second). How many.
     */
    int deleteAbandoned(Instant before, int limit);

    /** Fails unless the names are fit for a file name and an object key. */
    static void requireSafeNames(String... names) {
        for (String name : names) {
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name unfit for a recording's file or key: " + name);
            }
        }
    }

    /**
     * One recording being written: appended in order, its header rewritten in place at the end (a WAV header holds
     * the length), then published. Not thread-safe: one writer (the edge's recording writer thread).
     */
    interface Upload extends AutoCloseable {

        /** Appends bytes. */
        void write(byte[] bytes, int offset, int length) throws IOException;

        /** Overwrites bytes already written at {@code position} (a header at the start). */
        void rewrite(long position, byte[] bytes) throws IOException;

        /** Bytes written so far. */
        long size();

        /** Publishes the recording; its location. */
        String complete() throws IOException;

        /** Releases what the upload holds; one never completed is thrown away. */
        @Override
        void close();
    }

    /** A stored recording, read by byte range. */
    interface Stored {

        /** Its length in bytes. */
        long size() throws IOException;

        /** Copies bytes {@code first} to {@code last} (inclusive) to {@code out}. */
        void copy(long first, long last, OutputStream out) throws IOException;
    }
}
