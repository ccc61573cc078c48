package io.sipai.gateway.web.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads an instant only from an RFC 3339 string ({@code 2026-01-01T00:00:00Z}, any offset). Jackson's own reader
 * also takes numbers and numeric strings as epoch seconds, which the API does not document and which overflow.
 */
final class RfcTimeDeserializer extends StdScalarDeserializer<Instant> {

    RfcTimeDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
        String text = parser.getString();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 time");
        }
    }

    @Override
    public LogicalType logicalType() {
        return LogicalType.DateTime;
    }
}
