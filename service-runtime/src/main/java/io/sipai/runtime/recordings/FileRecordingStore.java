package io.sipai.runtime.recordings;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory where call recordings live (a {@code file:} store), one file per call under its tenant:
 * {@code <store>/<tenantId>/<callId>.<extension>}. A recording is written to a {@code .part} file and renamed when
 * complete, so a reader never sees half a recording, and a crashed writer leaves only a {@code .part} file behind.
 * Locations are handed out as {@code file:} URIs; {@link #open} only accepts locations inside the store, so a
 * stored URI can never make a reader open another file. Thread-safe.
 */
public final class FileRecordingStore implements RecordingStore {

    private final Path root;

    public FileRecordingStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public Upload create(String tenantId, String callId, String extension) {
        RecordingStore.requireSafeNames(tenantId, callId, extension);
        Path target = root.resolve(tenantId).resolve(callId + "." + extension);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            return new FileUpload(target, part, FileChannel.open(part, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + part, e);
        }
    }

    @Override
    public Optional<Stored> open(String location) {
        return inStore(location).filter(Files::isRegularFile).map(StoredFile::new);
    }

    @Override
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

    /** Deletes {@code .part} files: the recordings of calls whose edge died mid-call. */
    @Override
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

    /** A recording file, copied out by byte range. */
    private record StoredFile(Path path) implements Stored {

        @Override
        public long size() throws IOException {
            return Files.size(path);
        }

        @Override
        public void copy(long first, long last, OutputStream out) throws IOException {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                WritableByteChannel target = Channels.newChannel(out);
                long position = first;
                while (position <= last) {
                    long moved = channel.transferTo(position, last + 1 - position, target);
                    if (moved <= 0) {
                        throw new IOException("recording " + path + " ended before byte " + position);
                    }
                    position += moved;
                }
            }
        }
    }

    /** One recording file being written; published under its final name when complete. Not thread-safe. */
    private static final class FileUpload implements Upload {

        private final Path target;
        private final Path part;
        private final FileChannel channel;
        private long size;
        private boolean completed;

        private FileUpload(Path target, Path part, FileChannel channel) {
            this.target = target;
            this.part = part;
            this.channel = channel;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            while (buffer.hasRemaining()) {
                size += channel.write(buffer, size);
            }
        }

        @Override
        public void rewrite(long position, byte[] bytes) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long at = position;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String complete() throws IOException {
            channel.force(false);
            channel.close();
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            completed = true;
            return target.toUri().toString();
        }

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
