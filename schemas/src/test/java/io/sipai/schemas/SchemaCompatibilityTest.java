package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Full transitive compatibility: every released version of a schema can read data written by every other version,
 * older or newer. Downstream consumers run old and new code side by side during deployments, so both directions
 * matter. One exception, the only way a new kind of call event can exist: a newer version may append event types to
 * the union of {@code CallEvent.payload}. An older reader cannot decode an event of a type it does not know (its
 * consumer quarantines it, UNDECODABLE), so consumers are deployed before the producers of a new type
 * (docs/events.md); every event type an older version knows stays readable both ways.
 */
class SchemaCompatibilityTest {

    @Test
    void everyVersionReadsAndIsReadByEveryOtherVersion() {
        List<String> problems = new ArrayList<>();
        for (String name : SchemaHistory.schemaNames()) {
            List<SchemaHistory.Version> versions = SchemaHistory.versions(name);
            for (int r = 0; r < versions.size(); r++) {
                SchemaHistory.Version reader = versions.get(r);
                for (int w = 0; w < versions.size(); w++) {
                    SchemaHistory.Version writer = versions.get(w);
                    String problem = incompatibility(reader.schema(), writer.schema(), w > r);
                    if (problem != null) {
                        problems.add(reader.resource() + " cannot read " + writer.resource() + ": " + problem);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckRejectsAFieldAddedWithoutDefault() {
        // Given a released schema and a new version that adds a required field
        Schema v1 = SchemaBuilder.record("Probe").namespace("io.sipai.test").fields()
                .requiredString("callId").endRecord();
        Schema v2 = SchemaBuilder.record("Probe").namespace("io.sipai.test").fields()
                .requiredString("callId").requiredInt("turn").endRecord();

        // When / Then: new readers cannot read old data
        assertThat(incompatibility(v2, v1)).contains("turn");
    }

    @Test
    void theCheckRejectsAnEnumSymbolRemoved() {
        Schema v1 = SchemaBuilder.enumeration("Color").namespace("io.sipai.test").symbols("RED", "GREEN");
        Schema v2 = SchemaBuilder.enumeration("Color").namespace("io.sipai.test").symbols("RED");

        assertThat(incompatibility(v2, v1)).isNotNull();
    }

    @Test
    void anOlderReaderMissesOnlyTheEventTypesANewerWriterAppended() {
        // given a call event union that gains a type, and one that loses one
        Schema v1 = event("A", "B");
        Schema v2 = event("A", "B", "C");

        // then only an older reader may miss a type, the one appended; a type is never removed
        assertThat(incompatibility(v1, v2, true)).isNull();
        assertThat(incompatibility(v1, v2, false)).contains("MISSING_UNION_BRANCH");
        assertThat(incompatibility(v2, v1, false)).isNull();
        assertThat(incompatibility(event("A"), v1, false)).as("a newer version that dropped a type")
                .contains("MISSING_UNION_BRANCH");
    }

    /** Null when {@code reader} can read what {@code writer} wrote, else a description. */
    static String incompatibility(Schema reader, Schema writer) {
        return incompatibility(reader, writer, false);
    }

    /**
     * Null when {@code reader} can read what {@code writer} wrote, else a description; with {@code writerIsNewer},
     * event types the writer appended to the call event union are allowed.
     */
    static String incompatibility(Schema reader, Schema writer, boolean writerIsNewer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        List<String> problems = result.getResult().getIncompatibilities().stream()
                .filter(i -> !(writerIsNewer && i.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH
                        && appendedEventType(reader, writer, i.getLocation())))
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .toList();
        return problems.isEmpty() ? null : problems.toString();
    }

    /**
     * Whether {@code location} (/fields/7/type/16) names a branch of a CallEvent payload union in the writer that
     * lies past the end of the same union in the reader: an event type appended to it.
     */
    private static boolean appendedEventType(Schema reader, Schema writer, String location) {
        String[] steps = location.substring(1).split("/");
        Schema w = writer;
        Schema r = reader;
        String record = null;
        String field = null;
        for (int i = 0; i < steps.length; i++) {
            switch (steps[i]) {
                case "fields" -> {
                    int index = Integer.parseInt(steps[++i]);
                    record = w.getFullName();
                    field = w.getFields().get(index).name();
                    w = w.getFields().get(index).schema();
                    if (r.getType() != Schema.Type.RECORD || r.getField(field) == null) {
                        return false;
                    }
                    r = r.getField(field).schema();
                }
                case "type" -> {
                    if (i + 1 < steps.length && steps[i + 1].matches("\\d+") && w.getType() == Schema.Type.UNION) {
                        int branch = Integer.parseInt(steps[++i]);
                        return i == steps.length - 1 && "io.sipai.events.CallEvent".equals(record)
                                && "payload".equals(field) && branch >= r.getTypes().size();
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }

    private static Schema event(String... types) {
        List<Schema> branches = new ArrayList<>();
        for (String type : types) {
            branches.add(SchemaBuilder.record(type).namespace("io.sipai.events").fields().requiredString("x")
                    .endRecord());
        }
        return SchemaBuilder.record("CallEvent").namespace("io.sipai.events").fields().name("payload")
                .type(Schema.createUnion(branches)).noDefault().endRecord();
    }
}
