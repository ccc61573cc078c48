package io.sipai.edge.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's event journal on a real directory: what survives, what is trimmed, torn records, bounds, the lock. */
class EventJournalTest {

    private static final long ONE_MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void recordsNotAcknowledgedAreRecoveredInWriteOrderByTheNextProcess() {
        // given
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            long first = journal.append(bytes("a"));
            journal.append(bytes("b"));
            journal.append(bytes("c"));
            // when
            journal.acknowledge(first);
        }
        // then
        try (EventJournal next = EventJournal.open(dir, ONE_MIB)) {
            assertThat(texts(next.recovered())).containsExactly("b", "c");
        }
    }

    @Test
    void whatAKilledProcessWroteIsRecoveredEvenWithoutACheckpoint() throws IOException {
        // given: a process that appended and died before its first sync
        Path copy = dir.resolve("copy");
        try (EventJournal journal = EventJournal.open(dir.resolve("live"), ONE_MIB)) {
            journal.append(bytes("CallStarted"));
            journal.append(bytes("CallEnded"));
            // when: its files as they are on disk at that moment
            copyFiles(dir.resolve("live"), copy);
        }
        // then
        try (EventJournal next = EventJournal.open(copy, ONE_MIB)) {
            assertThat(texts(next.recovered())).containsExactly("CallStarted", "CallEnded");
        }
    }

    @Test
    void aFullyAcknowledgedJournalRecoversNothingAndKeepsOneSegment() throws IOException {
        // given
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                positions.add(journal.append(new byte[200]));
            }
            assertThat(segments()).hasSizeGreaterThan(3);
            // when
            positions.forEach(journal::acknowledge);
            journal.sync();
            // then
            assertThat(segments()).hasSize(1);
            assertThat(journal.diskBytes()).isLessThan(128 * 1024);
        }
        try (EventJournal next = EventJournal.open(dir, ONE_MIB)) {
            assertThat(next.recovered()).isEmpty();
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndWritingGoesOn() throws IOException {
        // given: a crash in the middle of an append
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            journal.append(bytes("whole"));
        }
        Path segment = segments().getLast();
        Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 'x'}, StandardOpenOption.APPEND);
        // when
        try (EventJournal next = EventJournal.open(dir, ONE_MIB)) {
            next.append(bytes("after"));
            // then
            assertThat(texts(next.recovered())).containsExactly("whole");
        }
        try (EventJournal third = EventJournal.open(dir, ONE_MIB)) {
            assertThat(texts(third.recovered())).containsExactly("whole", "after");
        }
    }

    @Test
    void aRecordWithAWrongChecksumEndsTheReadableJournal() throws IOException {
        // given
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            journal.append(bytes("good"));
            journal.append(bytes("flipped"));
        }
        Path segment = segments().getFirst();
        byte[] content = Files.readAllBytes(segment);
        content[content.length - 1] ^= 0x55;
        Files.write(segment, content);
        // when / then
        try (EventJournal next = EventJournal.open(dir, ONE_MIB)) {
            assertThat(texts(next.recovered())).containsExactly("good");
        }
    }

    @Test
    void aFullJournalRefusesAppendsUntilAcknowledgementsFreeSpace() {
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            // given
            List<Long> positions = new ArrayList<>();
            long position;
            while ((position = journal.append(new byte[1000])) >= 0) {
                positions.add(position);
            }
            assertThat(journal.diskBytes()).isLessThanOrEqualTo(ONE_MIB);
            // when
            positions.forEach(journal::acknowledge);
            journal.sync();
            // then
            assertThat(journal.append(new byte[1000])).isNotNegative();
        }
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefused() {
        try (EventJournal journal = EventJournal.open(dir, ONE_MIB)) {
            assertThatThrownBy(() -> EventJournal.open(dir, ONE_MIB)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("used by another process");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<EventJournal.Entry> entries) {
        return entries.stream().map(entry -> new String(entry.payload(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(file -> !file.getFileName().toString().equals("lock")).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
