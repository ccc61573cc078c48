package io.sipai.gateway.web.json;

import io.sipai.gateway.web.StorableText;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads a JSON string, and only a JSON string, into a String field: a number, boolean, array or object is a wrong
 * type (Jackson's own String reader would turn {@code 12345} into {@code "12345"}), and text that cannot be stored is
 * refused with the field's path.
 */
final class StorableStringDeserializer extends StdScalarDeserializer<String> {

    StorableStringDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (String) context.handleUnexpectedToken(String.class, parser);
        }
        String text = parser.getString();
        if (StorableText.firstUnstorable(text) >= 0) {
            throw new UnstorableTextException(parser, text);
        }
        return text;
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.Textual;
    }
}
