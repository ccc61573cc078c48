package io.sipai.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tools.jackson.databind.JsonNode;

/**
 * Generates JSON request bodies for a Java body type (a record, list, map or scalar) from a seeded {@link Random}:
 * every field gets a plausible value or random JSON of any type, and each body carries at least one violation the
 * API must refuse (a value of the wrong JSON type, text that cannot be stored, invalid UTF-8 bytes, an unknown
 * field, or broken JSON syntax). Bodies are bytes, so they may hold byte sequences no String can.
 */
public final class HostileJson {

    /** JSON string escapes of text nothing may store: NUL, other C0 controls, unpaired surrogates. */
    private static final List<String> UNSTORABLE = List.of("\\u0000", "\\u0007", "\\u001b", "\\ud800", "\\udfff",
            "\\udc00\\ud800");
    /** Byte sequences that are not UTF-8: a stray byte, overlong, a surrogate, a truncated and a 5-byte sequence. */
    private static final List<byte[]> NOT_UTF8 = List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0,
            (byte) 0xAE}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {0x01});
    private static final List<String> TEXT = List.of("Ava", "", " ", "' OR 1=1 --", "../../etc/passwd", "%00",
            "\\u202eevil", "\\ud83d\\ude00", "<script>", "null", "+14155550100", "https://example.com/x",
            "agt_0000", "\\\\", "\\\"");

    private final Random random;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private String violation;

    private HostileJson(Random random) {
        this.random = random;
    }

    /** A body for {@code type}; {@link Body#violation()} says what in it must be refused. */
    public record Body(byte[] bytes, String violation) {
    }

    public static Body generate(Type type, Random random) {
        HostileJson json = new HostileJson(random);
        int kind = random.nextInt(10);
        if (kind == 0) {
            json.brokenSyntax(type);
        } else if (kind == 1 && isRecord(type)) {
            json.unknownField(type);
        } else {
            json.value(type, true, 0);
        }
        return new Body(json.out.toByteArray(), json.violation);
    }

    private void brokenSyntax(Type type) {
        int cut = random.nextInt(6);
        if (cut == 0) {
            value(type, false, 0);
            byte[] whole = out.toByteArray();
            out.reset();
            out.write(whole, 0, Math.max(0, whole.length - 1 - random.nextInt(Math.max(1, whole.length / 2))));
            violation = "truncated JSON";
        } else if (cut == 1) {
            value(type, false, 0);
            write(" } trailing");
            violation = "trailing tokens";
        } else if (cut == 2) {
            write(random.nextBoolean() ? "[]" : random.nextBoolean() ? "42" : "\"text\"");
            violation = "top-level value of the wrong type";
        } else if (cut == 3) {
            write("{'name': 'single quotes', }");
            violation = "not JSON";
        } else if (cut == 4) {
            int depth = 600 + random.nextInt(1_200);
            write("{\"name\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
            violation = "nesting " + depth + " deep";
        } else {
            write("{\"name\":\"A\",\"maxDurationSec\":" + "9".repeat(1_001 + random.nextInt(2_000)) + "}");
            violation = "a number with too many digits";
        }
    }

    private void unknownField(Type type) {
        write("{\"no_such_field_" + random.nextInt(1_000) + "\":1");
        for (RecordComponent component : raw(type).getRecordComponents()) {
            write(",");
            name(component.getName());
            value(component.getGenericType(), false, 1);
        }
        write("}");
        violation = "unknown field";
    }

    /** A value for {@code type}; when {@code violate}, exactly one violation is placed in it. */
    private void value(Type type, boolean violate, int depth) {
        Class<?> raw = raw(type);
        if (violate && (!isContainer(raw) || random.nextInt(3) == 0) && raw != JsonNode.class) {
            leafViolation(type);
            return;
        }
        if (!violate && random.nextInt(5) == 0) {
            anyJson(depth);
            return;
        }
        if (raw.isRecord()) {
            record(raw, violate, depth);
        } else if (Collection.class.isAssignableFrom(raw)) {
            array(element(type, 0), violate, depth);
        } else if (Map.class.isAssignableFrom(raw)) {
            object(element(type, 1), violate, depth);
        } else if (raw == JsonNode.class) {
            node(violate, depth);
        } else {
            plausible(raw);
        }
    }

    private void record(Class<?> raw, boolean violate, int depth) {
        RecordComponent[] components = raw.getRecordComponents();
        int victim = violate ? random.nextInt(components.length) : -1;
        write("{");
        boolean first = true;
        for (int i = 0; i < components.length; i++) {
            if (i != victim && random.nextInt(3) == 0) {
                continue;
            }
            write(first ? "" : ",");
            first = false;
            name(components[i].getName());
            value(components[i].getGenericType(), i == victim, depth + 1);
        }
        write("}");
    }

    private void array(Type element, boolean violate, int depth) {
        int size = violate ? 1 + random.nextInt(3) : random.nextInt(3);
        int victim = random.nextInt(Math.max(1, size));
        write("[");
        for (int i = 0; i < size; i++) {
            write(i == 0 ? "" : ",");
            value(element, violate && i == victim, depth + 1);
        }
        write("]");
    }

    private void object(Type valueType, boolean violate, int depth) {
        write("{");
        if (violate && random.nextBoolean()) {
            write("\"key");
            unstorable();
            write("\":");
            value(valueType, false, depth + 1);
        } else {
            name("key" + random.nextInt(10));
            value(valueType, violate, depth + 1);
        }
        write("}");
    }

    /** A JSON node field takes any JSON, so its violation is unstorable text inside it. */
    private void node(boolean violate, int depth) {
        if (!violate) {
            anyJson(depth);
            return;
        }
        write("{\"type\":\"object\",\"description\":\"");
        unstorable();
        write("\"}");
    }

    private void leafViolation(Type type) {
        Class<?> raw = raw(type);
        if (raw == String.class && random.nextBoolean()) {
            write("\"" + text());
            if (random.nextBoolean()) {
                unstorable();
            } else {
                notUtf8();
            }
            write(text() + "\"");
            return;
        }
        List<String> wrong = wrongTypes(raw);
        write(wrong.get(random.nextInt(wrong.size())));
        violation = "wrong JSON type for " + raw.getSimpleName();
    }

    private static List<String> wrongTypes(Class<?> raw) {
        if (raw == String.class) {
            return List.of("12345", "true", "1.5", "[\"a\"]", "{}", "-0", "1e400");
        }
        if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            return List.of("\"60\"", "true", "60.5", "60.0", "\"\"", "[1]", "{}", "1e3", "99999999999999999999");
        }
        if (raw == Float.class || raw == float.class || raw == Double.class || raw == double.class) {
            return List.of("\"-40\"", "false", "[1.5]", "{}", "\"\"");
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return List.of("1", "0", "\"true\"", "\"\"", "[true]", "{}", "\"yes\"");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class) {
            return List.of("1", "1.5", "true", "\"yesterday\"", "\"\"", "[]", "{}", "\"2026-13-45T99:99:99Z\"");
        }
        if (raw.isEnum()) {
            return List.of("0", "1", "true", "\"\"", "\"no_such_value\"", "[\"http\"]", "{}");
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return List.of("{}", "\"single\"", "1", "true", "\"\"");
        }
        return List.of("[]", "\"text\"", "1", "true", "\"\"", "[{}]");
    }

    private void plausible(Class<?> raw) {
        if (raw == String.class) {
            write("\"" + text() + "\"");
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            write(Integer.toString(random.nextInt(20_000) - 100));
        } else if (raw == Float.class || raw == float.class || raw == Double.class || raw == double.class) {
            write(Float.toString(random.nextFloat() * 200 - 100));
        } else if (raw == Boolean.class || raw == boolean.class) {
            write(Boolean.toString(random.nextBoolean()));
        } else if (raw == Instant.class || raw == OffsetDateTime.class) {
            write(random.nextBoolean() ? "\"2026-01-01T00:00:00Z\"" : "\"+999999999-12-31T23:59:59Z\"");
        } else if (raw.isEnum()) {
            Object[] constants = raw.getEnumConstants();
            write("\"" + constants[random.nextInt(constants.length)].toString().toLowerCase(java.util.Locale.ROOT)
                    + "\"");
        } else {
            anyJson(3);
        }
    }

    private void anyJson(int depth) {
        int kind = depth > 3 ? random.nextInt(5) : random.nextInt(8);
        switch (kind) {
            case 0 -> write("null");
            case 1 -> write(Boolean.toString(random.nextBoolean()));
            case 2 -> write(Long.toString(random.nextLong()));
            case 3 -> write(Double.toString(random.nextGaussian() * 1e6));
            case 4 -> write("\"" + text() + "\"");
            case 5 -> write("\"" + "x".repeat(random.nextInt(5_000)) + "\"");
            case 6 -> {
                write("[");
                anyJson(depth + 1);
                write("]");
            }
            default -> {
                write("{\"k\":");
                anyJson(depth + 1);
                write("}");
            }
        }
    }

    private void unstorable() {
        String escape = UNSTORABLE.get(random.nextInt(UNSTORABLE.size()));
        write(escape);
        violation = "unstorable text " + escape;
    }

    private void notUtf8() {
        byte[] bytes = NOT_UTF8.get(random.nextInt(NOT_UTF8.size()));
        out.writeBytes(bytes);
        violation = "invalid UTF-8 " + java.util.HexFormat.of().formatHex(bytes);
    }

    private String text() {
        return TEXT.get(random.nextInt(TEXT.size()));
    }

    private void name(String name) {
        write("\"" + name + "\":");
    }

    private void write(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isContainer(Class<?> raw) {
        return raw.isRecord() || Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw);
    }

    private static boolean isRecord(Type type) {
        return raw(type).isRecord() && raw(type).getRecordComponents().length > 0;
    }

    static Class<?> raw(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return type instanceof Class<?> c ? c : Object.class;
    }

    private static Type element(Type type, int index) {
        return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[index]
                : Object.class;
    }
}
