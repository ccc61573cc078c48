package io.sipai.gateway.web.json;

import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;

/** The JSON path of the value a Jackson error is about, as problems name fields: {@code tools[0].url}. */
public final class JsonPaths {

    private JsonPaths() {
    }

    /** The path, or an empty string when the error is about the whole document. */
    public static String of(JacksonException e) {
        return e.getPath().stream().map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName()
                : "[" + ref.getIndex() + "]").collect(Collectors.joining()).replaceFirst("^\\.", "");
    }
}
