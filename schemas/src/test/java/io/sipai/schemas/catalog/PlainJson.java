package io.sipai.schemas.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders an Avro datum as the plain JSON a reader expects (unions unwrapped, timestamps as ISO-8601), for the
 * examples in docs/events.md. Not Avro's JSON encoding, which wraps every union value in its type name.
 */
final class PlainJson {

    private PlainJson() {
    }

    static String render(Object datum, Schema schema, String indent) {
        return switch (schema.getType()) {
            case RECORD -> record((IndexedRecord) datum, schema, indent);
            case UNION -> render(datum, schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), indent);
            case NULL -> "null";
            case STRING, ENUM -> quote(String.valueOf(datum));
            case LONG -> datum instanceof Instant instant ? quote(instant.toString()) : String.valueOf(datum);
            case FLOAT, DOUBLE -> String.format(Locale.ROOT, "%s", datum);
            case INT, BOOLEAN -> String.valueOf(datum);
            case MAP -> map((Map<?, ?>) datum, schema.getValueType(), indent);
            case ARRAY -> array((Collection<?>) datum, schema.getElementType(), indent);
            default -> throw new IllegalArgumentException("not rendered: " + schema.getType());
        };
    }

    private static String record(IndexedRecord record, Schema schema, String indent) {
        StringBuilder out = new StringBuilder("{");
        String inner = indent + "  ";
        for (Schema.Field field : schema.getFields()) {
            out.append(field.pos() == 0 ? "\n" : ",\n").append(inner).append(quote(field.name())).append(": ")
                    .append(render(record.get(field.pos()), field.schema(), inner));
        }
        return out.append(schema.getFields().isEmpty() ? "}" : "\n" + indent + "}").toString();
    }

    private static String map(Map<?, ?> map, Schema values, String indent) {
        if (map.isEmpty()) {
            return "{}";
        }
        StringBuilder out = new StringBuilder("{");
        String separator = "\n";
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            out.append(separator).append(indent).append("  ").append(quote(String.valueOf(entry.getKey())))
                    .append(": ").append(render(entry.getValue(), values, indent + "  "));
            separator = ",\n";
        }
        return out.append("\n").append(indent).append("}").toString();
    }

    private static String array(Collection<?> items, Schema element, String indent) {
        StringBuilder out = new StringBuilder("[");
        String separator = "";
        for (Object item : items) {
            out.append(separator).append(render(item, element, indent));
            separator = ", ";
        }
        return out.append("]").toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
