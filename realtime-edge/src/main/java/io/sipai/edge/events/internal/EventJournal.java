package io.sipai.edge.events.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's local write-ahead journal of call events ({@code EDGE_JOURNAL_DIR}): every event is appended before it
 * is queued for Kafka and acknowledged once the broker acknowledged it, so the events a crashed process had not
 * got written are found again by the next one ({@link #recovered()}) and sent then. Consumers dedupe on eventId, so
 * sending one twice is harmless; losing one is not.
 *
 * <p>Layout: segment files {@code <position>.seg} named by the position of their first record, and a
 * {@code checkpoint} file with the position below which everything was acknowledged. A record is a 4-byte
 * big-endian length, the CRC-32 of the payload (4 bytes) and the payload (the event's Avro single-object bytes). A
 * position is a record's offset in the whole journal, growing across segments. Appends go to the page cache at once
 * (they survive a killed process); once a second the active segment is forced to disk (a lost host loses at most
 * that second), the checkpoint is rewritten and segments wholly below it are deleted. After a crash, events acked
 * in the last second before it are sent again. A torn last record (crash mid-write) is cut off at recovery.
 *
 * <p>Size: at most {@code maxBytes} on disk; an append that does not fit is refused (-1) and its event stays in
 * memory only. One process per directory (a file lock).
 */
public final class EventJournal implements AutoCloseable {

    /** A record the previous process left unacknowledged. */
    public record Entry(long position, byte[] payload) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 16 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    private static final long MIN_SEGMENT = 64 * 1024;
    private static final long MAX_SEGMENT = 16 * 1024 * 1024;

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockFile;
    private final FileLock lock;
    /** Segment base position to file; the last one is the active segment. */
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final NavigableSet<Long> unacknowledged = new TreeSet<>();
    private final List<Entry> recovered;
    private final ScheduledExecutorService syncer;
    private FileChannel active;
    private long activeBase;
    private long end;
    private long checkpointed;
    private boolean unforced;

    private EventJournal(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.max(MIN_SEGMENT, Math.min(MAX_SEGMENT, maxBytes / 8));
        Files.createDirectories(dir);
        this.lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = tryLock(lockFile);
        if (lock == null) {
            lockFile.close();
            throw new IllegalStateException(dir + " is used by another process");
        }
        this.checkpointed = readCheckpoint();
        this.recovered = List.copyOf(recover());
        recovered.forEach(entry -> unacknowledged.add(entry.position()));
        openSegment(end);
        this.syncer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("edge-journal-sync")
                .daemon().factory());
        syncer.scheduleWithFixedDelay(this::sync, 1, 1, TimeUnit.SECONDS);
    }

    /** Opens (or creates) the journal in {@code dir}, reading what the previous process left unacknowledged. */
    public static EventJournal open(Path dir, long maxBytes) {
        try {
            return new EventJournal(dir, maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event journal in " + dir, e);
        }
    }

    private static FileLock tryLock(FileChannel file) throws IOException {
        try {
            return file.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by this very JVM (another journal on the same directory).
            return null;
        }
    }

    /** The records the previous process left unacknowledged, in the order they were written. */
    public List<Entry> recovered() {
        return recovered;
    }

    /** Appends a record; its position, or -1 when the journal is full or the disk failed. */
    public synchronized long append(byte[] payload) {
        long size = HEADER + (long) payload.length;
        if (active == null || end + size - segments.firstKey() > maxBytes || payload.length > MAX_RECORD) {
            return -1;
        }
        try {
            if (end > activeBase && end - activeBase + size > segmentBytes) {
                roll();
            }
            ByteBuffer record = ByteBuffer.allocate((int) size).putInt(payload.length).putInt(crc(payload))
                    .put(payload).flip();
            while (record.hasRemaining()) {
                active.write(record);
            }
        } catch (IOException e) {
            LOG.error("cannot append to the event journal in {}: {}", dir, e.toString());
            return -1;
        }
        long position = end;
        end += size;
        unacknowledged.add(position);
        unforced = true;
        return position;
    }

    /** The record at {@code position} need not be sent again. */
    public synchronized void acknowledge(long position) {
        unacknowledged.remove(position);
    }

    /** Bytes on disk: from the oldest kept segment to the end. */
    public synchronized long diskBytes() {
        return segments.isEmpty() ? 0 : end - segments.firstKey();
    }

    /** Forces appended records to disk, writes the checkpoint and deletes wholly acknowledged segments. */
    public synchronized void sync() {
        if (active == null) {
            return;
        }
        try {
            if (unforced) {
                active.force(false);
                unforced = false;
            }
            long watermark = unacknowledged.isEmpty() ? end : unacknowledged.first();
            if (watermark != checkpointed) {
                writeCheckpoint(watermark);
                checkpointed = watermark;
            }
            while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= watermark) {
                Files.deleteIfExists(segments.pollFirstEntry().getValue());
            }
        } catch (IOException e) {
            LOG.warn("event journal sync in {} failed: {}", dir, e.toString());
        }
    }

    @Override
    public void close() {
        syncer.shutdownNow();
        synchronized (this) {
            if (active == null) {
                return;
            }
            sync();
            try {
                active.close();
                active = null;
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                LOG.warn("closing the event journal in {} failed: {}", dir, e.toString());
            }
        }
    }

    private long readCheckpoint() throws IOException {
        Path file = dir.resolve("checkpoint");
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            LOG.warn("unreadable event journal checkpoint in {} ({}): reading every segment", dir, text);
            return 0;
        }
    }

    private void writeCheckpoint(long watermark) throws IOException {
        Path temp = dir.resolve("checkpoint.tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap((watermark + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Files.move(temp, dir.resolve("checkpoint"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads every segment from the checkpoint on; deletes acknowledged and empty ones, cuts torn tails. */
    private List<Entry> recover() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.filter(file -> file.getFileName().toString().matches("\\d{20}\\" + SUFFIX))
                    .forEach(file -> found.put(Long.parseLong(file.getFileName().toString().substring(0, 20)), file));
        }
        List<Entry> entries = new ArrayList<>();
        end = checkpointed;
        for (Map.Entry<Long, Path> segment : found.entrySet()) {
            long base = segment.getKey();
            long size = Files.size(segment.getValue());
            if (size == 0 || base + size <= checkpointed) {
                Files.delete(segment.getValue());
                continue;
            }
            long valid = read(segment.getValue(), base, Math.max(0, checkpointed - base), entries);
            end = Math.max(end, base + valid);
            if (valid == 0 || base + valid <= checkpointed) {
                Files.delete(segment.getValue());
                continue;
            }
            if (valid < size) {
                LOG.warn("event journal segment {} ends in a torn record at {}: cut off", segment.getValue(), valid);
                try (FileChannel file = FileChannel.open(segment.getValue(), StandardOpenOption.WRITE)) {
                    file.truncate(valid);
                }
            }
            segments.put(base, segment.getValue());
        }
        return entries;
    }

    /** Adds the segment's records from {@code from} to {@code entries}; returns the length of its valid part. */
    private static long read(Path file, long base, long from, List<Entry> entries) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = from;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (true) {
                header.clear();
                if (in.read(header, offset) < HEADER) {
                    return offset;
                }
                int length = header.getInt(0);
                if (length <= 0 || length > MAX_RECORD || offset + HEADER + length > in.size()) {
                    return offset;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                while (payload.hasRemaining() && in.read(payload, offset + HEADER + payload.position()) > 0) {
                    // read until full: the size check above guarantees the bytes exist
                }
                if (crc(payload.array()) != header.getInt(4)) {
                    return offset;
                }
                entries.add(new Entry(base + offset, payload.array()));
                offset += HEADER + length;
            }
        }
    }

    private void roll() throws IOException {
        active.force(false);
        active.close();
        openSegment(end);
    }

    private void openSegment(long base) throws IOException {
        Path file = dir.resolve(String.format(Locale.ROOT, "%020d%s", base, SUFFIX));
        active = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeBase = base;
        segments.put(base, file);
    }

    private static int crc(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
