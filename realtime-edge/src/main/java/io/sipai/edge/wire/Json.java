package io.sipai.edge.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** Lenient field access for the protocols' JSON: absent, null and non-scalar values read as null. */
public final class Json {

    private Json() {
    }

    /** A scalar field as text (numbers included), or null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }

    /** An object of scalars as a string map; empty when absent. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    map.put(e.getKey(), e.getValue().asString());
                }
            });
        }
        return map;
    }
}
