package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document as served: the checked-in one (also docs/openapi.json) with the values of a call's
 * {@code provider} set to the registered telephony providers, so a new provider is documented where it is
 * accepted. Written as the checked-in file is (two-space indentation, one value per line), so with the documented
 * providers the served bytes are the file's.
 */
final class OpenApiDocument {

    /** Classpath location of the OpenAPI document. */
    static final String RESOURCE = "/openapi/openapi.json";
    private static final String PROVIDER = "/components/schemas/PlaceCall/properties/provider";

    private OpenApiDocument() {
    }

    /** The document with {@code providers} as the provider values. */
    static byte[] load(List<String> providers) throws IOException {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            JsonNode document = JsonMapper.builder().build().readTree(in);
            if (!(document.at(PROVIDER) instanceof ObjectNode provider)) {
                throw new IllegalStateException(RESOURCE + " has no " + PROVIDER);
            }
            ArrayNode values = provider.putArray("enum");
            providers.forEach(values::add);
            StringBuilder out = new StringBuilder(64 * 1024);
            write(out, document, 0);
            return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void write(StringBuilder out, JsonNode node, int depth) {
        if (node.isObject() && !node.isEmpty()) {
            out.append('{');
            String separator = "\n";
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                out.append(separator).append("  ".repeat(depth + 1));
                string(out, member.getKey());
                out.append(": ");
                write(out, member.getValue(), depth + 1);
                separator = ",\n";
            }
            out.append('\n').append("  ".repeat(depth)).append('}');
        } else if (node.isArray() && !node.isEmpty()) {
            out.append('[');
            String separator = "\n";
            for (JsonNode item : node) {
                out.append(separator).append("  ".repeat(depth + 1));
                write(out, item, depth + 1);
                separator = ",\n";
            }
            out.append('\n').append("  ".repeat(depth)).append(']');
        } else if (node.isString()) {
            string(out, node.stringValue());
        } else {
            out.append(node.isObject() ? "{}" : node.isArray() ? "[]" : node.toString());
        }
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        out.append('"');
    }
}
