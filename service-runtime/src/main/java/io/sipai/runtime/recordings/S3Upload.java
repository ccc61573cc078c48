package io.sipai.runtime.recordings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One recording streamed to S3 while its call runs. S3 takes a multipart upload in parts of at least 5 MiB (but
 * the last), and the first part holds the WAV header, whose lengths are known only at the end. So the first
 * {@link #PART} bytes stay in a local spool file until {@link #complete()}, and every later part is spooled, uploaded
 * as soon as it is full, and dropped: at most two parts (10 MiB) on local disk per call and none in memory, whatever
 * the call's length. The multipart upload starts with the second part; a recording of up to one part is a single
 * PUT. Runs on the edge's recording writer thread: uploads block it, never a call. Its methods are synchronized
 * only so that a discard from another thread waits for a write in progress; nothing is written after a close.
 */
final class S3Upload implements RecordingStore.Upload {

    /** S3's smallest part but the last. */
    static final int PART = 5 * 1024 * 1024;

    private final S3RecordingStore store;
    private final String key;
    private final Path firstFile;
    private final Path nextFile;
    private final List<CompletedPart> parts = new ArrayList<>();
    private FileChannel first;
    private FileChannel next;
    private long size;
    private long nextSize;
    private String uploadId;
    private boolean completed;
    private boolean closed;

    S3Upload(S3RecordingStore store, String key, Path spool) {
        this.store = store;
        this.key = key;
        this.firstFile = spool.resolveSibling(spool.getFileName() + ".first");
        this.nextFile = spool.resolveSibling(spool.getFileName() + ".next");
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        int at = offset;
        int left = length;
        while (left > 0) {
            int n;
            if (size < PART) {
                n = (int) Math.min(left, PART - size);
                writeFully(first(), ByteBuffer.wrap(bytes, at, n), size);
            } else {
                n = (int) Math.min(left, PART - nextSize);
                writeFully(next(), ByteBuffer.wrap(bytes, at, n), nextSize);
                nextSize += n;
                if (nextSize == PART) {
                    uploadNext();
                }
            }
            size += n;
            at += n;
            left -= n;
        }
    }

    @Override
    public synchronized void rewrite(long position, byte[] bytes) throws IOException {
        requireOpen();
        if (position < 0 || position + bytes.length > Math.min(size, PART)) {
            throw new IllegalArgumentException("only the first " + PART + " bytes written can be rewritten");
        }
        writeFully(first(), ByteBuffer.wrap(bytes), position);
    }

    @Override
    public synchronized long size() {
        return size;
    }

    @Override
    public synchronized String complete() throws IOException {
        requireOpen();
        try {
            first().force(false);
            if (size <= PART) {
                store.client().putObject(request -> request.bucket(store.bucket()).key(key).contentLength(size)
                        .serverSideEncryption(store.encryption()).ssekmsKeyId(store.kmsKeyId()),
                        RequestBody.fromFile(firstFile));
            } else {
                if (nextSize > 0) {
                    uploadNext();
                }
                parts.add(uploadPart(1, firstFile, PART));
                List<CompletedPart> ordered = parts.stream()
                        .sorted((a, b) -> Integer.compare(a.partNumber(), b.partNumber())).toList();
                store.client().completeMultipartUpload(request -> request.bucket(store.bucket()).key(key)
                        .uploadId(uploadId).multipartUpload(upload -> upload.parts(ordered)));
            }
        } catch (SdkException e) {
            throw new IOException("cannot store the recording s3://" + store.bucket() + "/" + key + ": "
                    + e.getMessage(), e);
        }
        completed = true;
        try {
            close();
        } catch (UncheckedIOException e) {
            // The recording is stored; a spool file left behind is swept at the edge's next start.
        }
        return store.location(key);
    }

    private void requireOpen() throws IOException {
        if (closed) {
            throw new IOException("the recording upload of " + key + " was closed");
        }
    }

    /** Drops the spool files; an upload never completed is aborted (the bucket's lifecycle rule is the fallback). */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (!completed && uploadId != null) {
                store.client().abortMultipartUpload(request -> request.bucket(store.bucket()).key(key)
                        .uploadId(uploadId));
                uploadId = null;
            }
        } catch (SdkException e) {
            // The bucket's lifecycle rule aborts it a day later.
        } finally {
            closeQuietly(first);
            closeQuietly(next);
            try {
                Files.deleteIfExists(firstFile);
                Files.deleteIfExists(nextFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the spool files of " + key, e);
            }
        }
    }

    private void uploadNext() throws IOException {
        next.force(false);
        try {
            parts.add(uploadPart(parts.size() + 2, nextFile, nextSize));
        } catch (SdkException e) {
            throw new IOException("cannot upload part " + (parts.size() + 2) + " of s3://" + store.bucket() + "/"
                    + key + ": " + e.getMessage(), e);
        }
        next.truncate(0);
        nextSize = 0;
    }

    private CompletedPart uploadPart(int number, Path file, long length) {
        if (uploadId == null) {
            uploadId = store.client().createMultipartUpload(request -> request.bucket(store.bucket()).key(key)
                    .serverSideEncryption(store.encryption()).ssekmsKeyId(store.kmsKeyId())
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        }
        UploadPartResponse response = store.client().uploadPart(request -> request.bucket(store.bucket()).key(key)
                .uploadId(uploadId).partNumber(number).contentLength(length), RequestBody.fromFile(file));
        return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                .checksumCRC32(response.checksumCRC32()).build();
    }

    private FileChannel first() throws IOException {
        if (first == null) {
            first = open(firstFile);
        }
        return first;
    }

    private FileChannel next() throws IOException {
        if (next == null) {
            next = open(nextFile);
        }
        return next;
    }

    private static FileChannel open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
    }
}
