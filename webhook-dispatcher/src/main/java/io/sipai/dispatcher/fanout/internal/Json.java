package io.sipai.dispatcher.fanout.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes Avro records and plain values as compact JSON with a fixed field order (the schema's), so the same event
 * always gives the same bytes: receivers verify signatures over the raw body, and replays must match.
 */
public final class Json {

    private Json() {
    }

    /** Appends {@code value} as JSON. */
    public static void value(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case CharSequence text -> string(out, text.toString());
            case Boolean bool -> out.append(bool);
            case Float number -> out.append(Float.isFinite(number) ? number.toString() : "null");
            case Double number -> out.append(Double.isFinite(number) ? number.toString() : "null");
            case Number number -> out.append(number);
            case Instant instant -> string(out, instant.toString());
            case SpecificRecord record -> record(out, record);
            case Map<?, ?> map -> map(out, map);
            case Collection<?> items -> array(out, items);
            case GenericContainer symbol -> string(out, symbol.toString());
            case Enum<?> symbol -> string(out, symbol.name());
            default -> string(out, value.toString());
        }
    }

    /** Appends {@code ,"name":value} for every field of {@code record}, in schema order. */
    public static void fields(StringBuilder out, SpecificRecord record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            out.append(',');
            string(out, field.name());
            out.append(':');
            value(out, record.get(field.pos()));
        }
    }

    static void record(StringBuilder out, SpecificRecord record) {
        out.append('{');
        boolean first = true;
        for (Schema.Field field : record.getSchema().getFields()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, field.name());
            out.append(':');
            value(out, record.get(field.pos()));
        }
        out.append('}');
    }

    private static void map(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : new TreeMap<>(stringKeys(map)).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, entry.getKey().toString());
            out.append(':');
            value(out, entry.getValue());
        }
        out.append('}');
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new HashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }

    private static void array(StringBuilder out, Collection<?> items) {
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(',');
            }
            first = false;
            value(out, item);
        }
        out.append(']');
    }

    /** Appends a JSON string. */
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
