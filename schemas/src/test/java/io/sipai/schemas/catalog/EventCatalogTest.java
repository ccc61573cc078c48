package io.sipai.schemas.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.sipai.events.CallEvent;
import io.sipai.schemas.AvroSerde;
import io.sipai.schemas.Topic;
import io.sipai.schemas.Topics;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md is generated from the schemas (their {@code doc} strings) and {@link Examples}, so it cannot
 * drift from the contract. When a schema changes, regenerate it with
 * {@code ./mvnw -pl schemas test -Dtest=EventCatalogTest -Dsipai.docs.write=true}.
 */
class EventCatalogTest {

    private static final Path DOC = Path.of("..", "docs", "events.md");

    @Test
    void everyCallEventTypeHasAnExample() {
        List<String> documented = Examples.CALL_EVENTS.stream()
                .map(example -> example.payload().getClass().getSimpleName()).toList();
        List<String> inSchema = CallEvent.getClassSchema().getField("payload").schema().getTypes().stream()
                .map(Schema::getName).toList();

        assertThat(documented).containsExactlyElementsOf(inSchema);
    }

    @Test
    void eventsDocumentIsUpToDate() throws IOException {
        String generated = EventCatalog.render();
        if (Boolean.getBoolean("sipai.docs.write")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/events.md is stale: ./mvnw -pl schemas test -Dtest=EventCatalogTest -Dsipai.docs.write=true")
                .isEqualTo(generated);
    }

    /** The renderer. */
    static final class EventCatalog {

        static String render() {
            StringBuilder out = new StringBuilder("""
                    # Events and topics

                    <!-- Generated from schemas/src/main/avro by EventCatalogTest; do not edit by hand. -->

                    Every record is Avro in single-object encoding (`C3 01`, the 8-byte CRC-64-AVRO fingerprint of the
                    writer schema, then the binary datum). The schemas, with every released version, are in
                    `schemas/src/main/avro` and `schemas/src/main/resources/schema-history`; Java consumers use
                    `io.sipai.schemas.Topics` and `EventSerdes`, others can decode with any Avro library and those
                    files. Every version is fully transitively compatible with every other. JSON below shows the
                    fields as plain JSON (timestamps as ISO-8601; on the wire they are epoch milliseconds).

                    ## Topics

                    | topic | key | partitions | cleanup | value |
                    |---|---|---|---|---|
                    """);
            for (Topic<?, ?> topic : Topics.ALL) {
                out.append("| `").append(topic.name()).append("` | ").append(keyOf(topic)).append(" | ")
                        .append(topic.partitions()).append(" | ").append(topic.cleanupPolicy().configValue())
                        .append(" | `").append(valueType(topic).getSimpleName()).append("` |\n");
            }
            out.append("\n## The call event envelope (`call.events.v1`)\n\n")
                    .append(CallEvent.getClassSchema().getDoc()).append("\n\n");
            fields(out, CallEvent.getClassSchema());
            out.append("\n## Call event types\n");
            for (Examples.Example example : Examples.CALL_EVENTS) {
                Schema schema = SpecificData.get().getSchema(example.payload().getClass());
                out.append("\n### ").append(schema.getName()).append("\n\n").append(schema.getDoc())
                        .append("\n\nEmitted by: ").append(example.emittedBy()).append(".\n\n");
                fields(out, schema);
                CallEvent envelope = Examples.envelope(example);
                out.append("\n```json\n").append(PlainJson.render(envelope, envelope.getSchema(), ""))
                        .append("\n```\n");
            }
            out.append("\n## Other records\n");
            for (Class<?> type : Topics.ALL.stream().map(EventCatalog::valueType).distinct().toList()) {
                if (type == CallEvent.class) {
                    continue;
                }
                Schema schema = SpecificData.get().getSchema(type);
                out.append("\n### ").append(schema.getName()).append("\n\n").append(schema.getDoc()).append("\n\n");
                fields(out, schema);
            }
            out.append("\n## Enumerations\n\nEvery enumeration has a default symbol (`UNKNOWN`): a reader that meets a "
                    + "symbol added after it was built reads the default instead of failing.\n");
            for (Schema schema : enums()) {
                out.append("\n### ").append(schema.getName()).append("\n\n").append(schema.getDoc())
                        .append("\n\nSymbols: `").append(String.join("`, `", schema.getEnumSymbols())).append("`.\n");
            }
            return out.toString();
        }

        private static Collection<Schema> enums() {
            Map<String, Schema> found = new TreeMap<>();
            Set<String> seen = new HashSet<>();
            for (Topic<?, ?> topic : Topics.ALL) {
                collectEnums(SpecificData.get().getSchema(valueType(topic)), found, seen);
            }
            return found.values();
        }

        private static void collectEnums(Schema schema, Map<String, Schema> found,
                                         Set<String> seen) {
            switch (schema.getType()) {
                case ENUM -> found.put(schema.getFullName(), schema);
                case RECORD -> {
                    if (seen.add(schema.getFullName())) {
                        schema.getFields().forEach(field -> collectEnums(field.schema(), found, seen));
                    }
                }
                case UNION -> schema.getTypes().forEach(type -> collectEnums(type, found, seen));
                case ARRAY -> collectEnums(schema.getElementType(), found, seen);
                case MAP -> collectEnums(schema.getValueType(), found, seen);
                default -> {
                }
            }
        }

        private static void fields(StringBuilder out, Schema record) {
            out.append("| field | type | meaning |\n|---|---|---|\n");
            for (Schema.Field field : record.getFields()) {
                out.append("| `").append(field.name()).append("` | ").append(typeName(field.schema())).append(" | ")
                        .append(field.doc() == null ? "" : field.doc().replace("|", "\\|")).append(" |\n");
            }
        }

        private static String typeName(Schema schema) {
            return switch (schema.getType()) {
                case UNION -> schema.getTypes().stream().map(EventCatalog::typeName)
                        .collect(Collectors.joining(" \\| "));
                case RECORD, ENUM -> "`" + schema.getName() + "`";
                case ARRAY -> "array of " + typeName(schema.getElementType());
                case MAP -> "map of " + typeName(schema.getValueType());
                case LONG -> schema.getLogicalType() == null ? "long" : "timestamp (ms)";
                default -> schema.getType().getName();
            };
        }

        private static String keyOf(Topic<?, ?> topic) {
            if (topic == Topics.CALL_ADMISSION) {
                return "`\"" + Topics.ADMISSION_KEY + "\"` (one key)";
            }
            String name = topic.name();
            if (name.startsWith("webhook.") && !name.equals(Topics.WEBHOOK_SUBSCRIPTIONS.name())
                    && !name.equals(Topics.WEBHOOK_REPLAY.name())) {
                return "subscriptionId/callId";
            }
            if (name.equals(Topics.WEBHOOK_SUBSCRIPTIONS.name()) || name.equals(Topics.WEBHOOK_REPLAY.name())) {
                return "subscriptionId";
            }
            if (name.equals(Topics.AGENT_CONFIG.name())) {
                return "agentId";
            }
            if (name.equals(Topics.CAMPAIGN_CONFIG.name())) {
                return "campaignId";
            }
            return name.equals(Topics.CALL_QUARANTINE.name()) ? "original key" : "callId";
        }

        private static Class<?> valueType(Topic<?, ?> topic) {
            return ((AvroSerde<?>) topic.valueSerde()).type();
        }
    }
}
