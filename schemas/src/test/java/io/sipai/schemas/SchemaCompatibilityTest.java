package io.sipai.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Full transitive compatibility: every released version of a schema can read data written by every other version,
 * older or newer. Downstream consumers run old and new code side by side during deployments, so both directions
 * matter.
 */
class SchemaCompatibilityTest {

    @Test
    void everyVersionReadsAndIsReadByEveryOtherVersion() {
        List<String> problems = new ArrayList<>();
        for (String name : SchemaHistory.schemaNames()) {
            List<SchemaHistory.Version> versions = SchemaHistory.versions(name);
            for (SchemaHistory.Version reader : versions) {
                for (SchemaHistory.Version writer : versions) {
                    String problem = incompatibility(reader.schema(), writer.schema());
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

    /** Null when {@code reader} can read what {@code writer} wrote, else a description. */
    static String incompatibility(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return result.getResult().getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .toList().toString();
    }
}
