package io.sipai.runtime.recordings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory where call recordings live, one file per call under its tenant:
 * {@code <store>/<tenantId>/<callId>.<extension>}. A recording is written to a {@code .part} file and renamed when
 * complete, so a reader never sees half a recording, and a crashed writer leaves only a {@code .part} file behind.
 * Locations are handed out as {@code file:} URIs; {@link #resolve} only accepts locations inside the store, so a
 * stored URI can never make a reader open another file. Thread-safe.
 */
public final class RecordingStore {

    /** Ids become file names: only these characters, so no id can leave its directory. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Path root;

    public RecordingStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The store of the settings, or empty when none is configured. */
    public static Optional<RecordingStore> of(RecordingStoreSettings settings) {
        return settings.configured() ? Optional.of(new RecordingStore(settings.directory())) : Optional.empty();
    }

    /** Starts writing the recording of one call; complete or abort it. */
    public Upload create(String tenantId, String callId, String extension) {
        if (!SAFE_ID.matcher(tenantId).matches() || !SAFE_ID.matcher(callId).matches()
                || !SAFE_ID.matcher(extension).matches() || callId.startsWith(".") || tenantId.startsWith(".")) {
            throw new IllegalArgumentException("ids unfit for a file name: " + tenantId + "/" + callId);
        }
        Path target = root.resolve(tenantId).resolve(callId + "." + extension);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            return new Upload(target, part, FileChannel.open(part, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + part, e);
        }
    }

    /** The file of a location this store handed out, or empty when it is not one of its files or is gone. */
    public Optional<Path> resolve(String location) {
        return inStore(location).filter(Files::isRegularFile);
    }

    /**
     * Deletes the file of a location this store handed out (gone already is fine).
     *
     * @throws IllegalArgumentException when the location is not one of this store's (another store, another mount)
     * @throws UncheckedIOException     when the file exists and cannot be deleted
     */
    public void delete(String location) {
        Path path = inStore(location).orElseThrow(() -> new IllegalArgumentException(
                "not a location of the store " + root + ": " + location));
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    /** The path a {@code file:} location names when it lies inside the store, whether or not the file exists. */
    private Optional<Path> inStore(String location) {
        try {
            URI uri = URI.create(location);
            if (!"file".equals(uri.getScheme()) || uri.getPath() == null) {
                return Optional.empty();
            }
            return Optional.of(Path.of(uri.getPath()).normalize()).filter(path -> path.startsWith(root));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Deletes up to {@code limit} {@code .part} files not written to since {@code before}: recordings of calls whose
     * edge died mid-call (a live recording's file is written every second). How many.
     */
    public int deleteAbandoned(Instant before, int limit) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> files = Files.walk(root, 2)) {
            for (Path part : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".part"))
                    .limit(limit * 10L)::iterator) {
                if (deleted < limit && Files.getLastModifiedTime(part).toInstant().isBefore(before)
                        && Files.deleteIfExists(part)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + root, e);
        }
        return deleted;
    }

    /**
     * One recording being written: appended in order, its header rewritten in place at the end (a WAV header holds
     * the length), then published under its final name. Not thread-safe: one writer.
     */
    public static final class Upload implements AutoCloseable {

        private final Path target;
        private final Path part;
        private final FileChannel channel;
        private long size;
        private boolean completed;

        private Upload(Path target, Path part, FileChannel channel) {
            this.target = target;
            this.part = part;
            this.channel = channel;
        }

        /** Appends bytes. */
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                size += channel.write(buffer, size);
            }
        }

        /** Overwrites bytes already written at {@code position} (a header). */
        public void rewrite(long position, byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long at = position;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }

        /** Bytes written so far. */
        public long size() {
            return size;
        }

        /** Publishes the recording under its final name; its location. */
        public String complete() throws IOException {
            channel.force(false);
            channel.close();
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            completed = true;
            return target.toUri().toString();
        }

        /** Closes the file; one never completed is thrown away. */
        @Override
        public void close() {
            try {
                channel.close();
                if (!completed) {
                    Files.deleteIfExists(part);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + part, e);
            }
        }
    }
}
