package io.sipai.gateway.problems.internal;

import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Names Java field types the way a client sees them in JSON, for problem details (never a Java class name). */
final class JsonTypes {

    private JsonTypes() {
    }

    /** What a field of {@code type} takes, e.g. "a string", "an integer", "an RFC 3339 time string". */
    static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == float.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 time string such as 2026-01-01T00:00:00Z";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + String.join(", ", enumValues(type));
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "of another JSON type";
    }

    /** An enum's values as they are written in JSON (their {@code @JsonProperty} names when they have one). */
    static List<String> enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(constant -> jsonName((Enum<?>) constant)).toList();
    }

    private static String jsonName(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(JsonProperty.class);
            return property != null && !property.value().isEmpty() ? property.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
