package io.sipai.runtime.json;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The one rendering of Avro records as JSON, used by the REST API (timeline entries) and by webhooks, so a customer
 * sees an event the same way in both. {@link #tree} gives plain maps and lists: fields in schema order, map entries
 * sorted by key, a union value whose branches include several records tagged with a {@code "type"} member naming
 * its record, timestamps as ISO-8601 text, enums as their symbol, bytes as base64. {@link #write} writes such a tree
 * as compact JSON, the same bytes for the same value (webhook signatures are over the raw body).
 */
public final class AvroJson {

    private AvroJson() {
    }

    /** The record as nested maps and lists. */
    public static Map<String, Object> tree(IndexedRecord record) {
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
            case RECORD -> tree((IndexedRecord) value);
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (Object item : (Iterable<?>) value) {
                    list.add(value(schema.getElementType(), item));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new TreeMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), value(schema.getValueType(), v)));
                yield map;
            }
            case ENUM, STRING -> value.toString();
            case BYTES -> Base64.getEncoder().encodeToString(bytes((ByteBuffer) value));
            case FLOAT, DOUBLE -> Double.isFinite(((Number) value).doubleValue()) ? value : null;
            default -> value instanceof Instant instant ? instant.toString() : value;
        };
    }

    private static Object unionValue(Schema union, Object value) {
        long records = union.getTypes().stream().filter(t -> t.getType() == Schema.Type.RECORD).count();
        for (Schema branch : union.getTypes()) {
            if (branch.getType() == Schema.Type.RECORD && value instanceof IndexedRecord record
                    && record.getSchema().getFullName().equals(branch.getFullName())) {
                if (records == 1) {
                    return tree(record);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("type", branch.getName());
                map.putAll(tree(record));
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

    /** {@code tree} (maps, lists, strings, numbers, booleans, null) as compact JSON. */
    public static String write(Object tree) {
        StringBuilder out = new StringBuilder(256);
        write(out, tree);
        return out.toString();
    }

    /** Appends {@code tree} as compact JSON. */
    public static void write(StringBuilder out, Object tree) {
        switch (tree) {
            case null -> out.append("null");
            case CharSequence text -> string(out, text.toString());
            case Boolean bool -> out.append(bool);
            case Number number -> out.append(number);
            case Map<?, ?> map -> object(out, map);
            case Collection<?> items -> array(out, items);
            case IndexedRecord record -> object(out, tree(record));
            case Instant instant -> string(out, instant.toString());
            default -> string(out, tree.toString());
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, String.valueOf(entry.getKey()));
            out.append(':');
            write(out, entry.getValue());
        }
        out.append('}');
    }

    private static void array(StringBuilder out, Collection<?> items) {
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            write(out, item);
        }
        out.append(']');
    }

    /** Appends a JSON string literal. */
    public static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
