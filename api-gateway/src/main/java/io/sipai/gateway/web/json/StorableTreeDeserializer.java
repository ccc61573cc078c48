package io.sipai.gateway.web.json;

import java.util.Map;

import io.sipai.gateway.web.StorableText;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.jackson.JsonNodeDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads free-form JSON (e.g. a tool's JSON Schema {@code parameters}) as Jackson does, then refuses any field name
 * or string inside it that cannot be stored, naming its full path such as {@code tools[0].parameters.description}.
 */
final class StorableTreeDeserializer extends StdDeserializer<JsonNode> {

    @SuppressWarnings("unchecked")
    private final ValueDeserializer<JsonNode> tree =
            (ValueDeserializer<JsonNode>) (ValueDeserializer<?>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

    StorableTreeDeserializer() {
        super(JsonNode.class);
    }

    @Override
    public JsonNode deserialize(JsonParser parser, DeserializationContext context) {
        JsonNode node = tree.deserialize(parser, context);
        UnstorableTextException refused = refused(parser, node);
        if (refused != null) {
            throw refused;
        }
        return node;
    }

    @Override
    public JsonNode getNullValue(DeserializationContext context) {
        return (JsonNode) tree.getNullValue(context);
    }

    @Override
    public Object getAbsentValue(DeserializationContext context) {
        return tree.getAbsentValue(context);
    }

    /** The refusal of the first unstorable text in {@code node}, its path inside the node prepended; else null. */
    private static UnstorableTextException refused(JsonParser parser, JsonNode node) {
        if (node.isString() && StorableText.firstUnstorable(node.stringValue()) >= 0) {
            return new UnstorableTextException(parser, node.stringValue());
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                UnstorableTextException inner = refused(parser, node.get(i));
                if (inner != null) {
                    inner.prependPath(node, i);
                    return inner;
                }
            }
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (StorableText.firstUnstorable(field.getKey()) >= 0) {
                    return new UnstorableTextException(parser, field.getKey());
                }
                UnstorableTextException inner = refused(parser, field.getValue());
                if (inner != null) {
                    inner.prependPath(node, field.getKey());
                    return inner;
                }
            }
        }
        return null;
    }
}
