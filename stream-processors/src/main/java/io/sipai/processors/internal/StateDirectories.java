package io.sipai.processors.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Chooses where Kafka Streams keeps local state. With a data directory ({@code SIPAI_DATA_DIR}) state lives in
 * {@code <dataDir>/streams}, where Kafka Streams separates applications by application id, so a restart finds its
 * state again. Without one, every call returns a fresh temporary directory, so two applications or tests in one
 * JVM never share (and never lock each other out of) a state directory.
 */
public final class StateDirectories {

    private StateDirectories() {
    }

    /** The state directory to use, created if missing. */
    public static Path choose(String dataDir) {
        try {
            if (dataDir == null || dataDir.isBlank()) {
                return Files.createTempDirectory("sipai-streams-");
            }
            return Files.createDirectories(Path.of(dataDir.strip(), "streams"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka Streams state directory", e);
        }
    }
}
