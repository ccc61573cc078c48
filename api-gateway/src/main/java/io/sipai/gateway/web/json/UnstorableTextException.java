package io.sipai.gateway.web.json;

import io.sipai.gateway.web.StorableText;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;

/**
 * A request body string (value or field name) that {@link StorableText} refuses. It is a {@link DatabindException}
 * so Jackson adds the JSON path of the field on its way out, and the problem handler answers 422 naming it.
 */
public class UnstorableTextException extends DatabindException {

    public UnstorableTextException(JsonParser parser, CharSequence text) {
        super(parser, StorableText.why(text));
    }
}
