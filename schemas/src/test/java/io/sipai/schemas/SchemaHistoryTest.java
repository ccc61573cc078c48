package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * Every schema in use is a released version kept in the history. When a schema changes, this test fails until the
 * new version is recorded with
 * {@code ./mvnw -pl schemas test -Dtest=SchemaHistoryTest -Dsipai.schema.snapshot=true}
 * (which appends {@code v<N+1>.avsc} and never edits an older file); {@link SchemaCompatibilityTest} then checks
 * the new version against every older one.
 */
class SchemaHistoryTest {

    private static final Path HISTORY_DIR = Path.of("src/main/resources", SchemaHistory.ROOT);

    @Test
    void everySchemaInUseIsAReleasedVersion() throws IOException {
        boolean snapshot = Boolean.getBoolean("sipai.schema.snapshot");
        for (Schema current : SchemasInUse.all()) {
            List<SchemaHistory.Version> versions = SchemaHistory.versions(current.getFullName());
            boolean released = !versions.isEmpty() && fingerprint(versions.getLast().schema()) == fingerprint(current);
            if (!released && snapshot) {
                record(current, versions.size() + 1);
                continue;
            }
            assertThat(released)
                    .as("%s changed since its last released version: record it with "
                            + "./mvnw -pl schemas test -Dtest=SchemaHistoryTest -Dsipai.schema.snapshot=true",
                            current.getFullName())
                    .isTrue();
        }
    }

    @Test
    void historyHoldsOnlySchemasInUse() {
        List<String> inUse = SchemasInUse.all().stream().map(Schema::getFullName).toList();
        assertThat(inUse).containsAll(SchemaHistory.schemaNames());
    }

    @Test
    void versionsAreNumberedFromOneWithoutGaps() {
        for (String name : SchemaHistory.schemaNames()) {
            List<Integer> numbers = SchemaHistory.versions(name).stream().map(SchemaHistory.Version::number).toList();
            for (int i = 0; i < numbers.size(); i++) {
                assertThat(numbers.get(i)).as(name).isEqualTo(i + 1);
            }
        }
    }

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static void record(Schema current, int number) throws IOException {
        String resource = current.getFullName() + "/v" + number + ".avsc";
        Path file = HISTORY_DIR.resolve(resource);
        Files.createDirectories(file.getParent());
        Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
        Files.writeString(HISTORY_DIR.resolve("index.txt"), resource + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    /** The top-level schemas of every topic value. */
    static final class SchemasInUse {
        static List<Schema> all() {
            return Topics.ALL.stream().map(topic -> ((AvroSerde<?>) topic.valueSerde()).type())
                    .distinct().map(type -> SpecificData.get().getSchema(type)).toList();
        }
    }
}
