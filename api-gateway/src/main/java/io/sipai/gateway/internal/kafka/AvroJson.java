package io.sipai.gateway.internal.kafka;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Renders generated Avro records as plain JSON-ready maps for the API: unions unwrapped, a union branch that is a
 * record gets a {@code "type"} member naming it, timestamps as ISO-8601 text, enums as their symbol.
 */
public final class AvroJson {

    private AvroJson() {
    }

    /** The record as nested maps and lists. */
    public static Map<String, Object> toMap(IndexedRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            out.put(field.name(), value(field.schema(), record.get(field.pos())));
        }
        return out;
    }

    private static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        return switch (schema.getType()) {
            case UNION -> unionValue(schema, value);
            case RECORD -> toMap((IndexedRecord) value);
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object item : (Iterable<?>) value) {
                    list.add(value(schema.getElementType(), item));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), value(schema.getValueType(), v)));
                yield map;
            }
            case ENUM -> value instanceof GenericEnumSymbol<?> || value instanceof Enum<?> ? value.toString() : value;
            case STRING -> value.toString();
            case BYTES -> Base64.getEncoder().encodeToString(bytes((ByteBuffer) value));
            case LONG -> value instanceof Instant instant ? instant.toString() : value;
            default -> value;
        };
    }

    private static Object unionValue(Schema union, Object value) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.RECORD && value instanceof IndexedRecord record
                    && record.getSchema().getFullName().equals(branch.getFullName())) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("type", branch.getName());
                map.putAll(toMap(record));
                return map;
            }
        }
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL && branch.getType() != Schema.Type.RECORD) {
                return value(branch, value);
            }
        }
        return value.toString();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
