package io.sipai.testing.streams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** State directories for Kafka Streams' {@code TopologyTestDriver}. */
public final class StateDirs {

    private StateDirs() {
    }

    /**
     * A fresh state directory in memory where there is one ({@code /dev/shm}), else null (the caller's temporary
     * directory on disk). The driver commits, and so flushes every RocksDB store to a new file, after each record:
     * on a disk a test of thousands of records takes half a minute, in memory a few seconds. The driver deletes what
     * it wrote when closed; the empty directory goes when the JVM exits.
     */
    public static Path inMemory() {
        Path memory = Path.of("/dev/shm");
        if (!Files.isDirectory(memory) || !Files.isWritable(memory)) {
            return null;
        }
        try {
            Path dir = Files.createTempDirectory(memory, "sipai-ttd-");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            return null;
        }
    }
}
