package io.sipai.gateway.web.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.sipai.gateway.web.json.Utf8Body;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API's JSON converter: reads a body only once it is known to be UTF-8 ({@link Utf8Body}). Bodies are
 * small ({@code API_MAX_BODY_BYTES}, enforced while reading by {@link BodyLimitFilter}), so holding one whole costs
 * little.
 */
final class Utf8JsonConverter extends JacksonJsonHttpMessageConverter {

    Utf8JsonConverter(JsonMapper mapper) {
        super(mapper);
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage message, @Nullable Map<String, Object> hints)
            throws IOException {
        byte[] body = Utf8Body.require(message.getBody().readAllBytes());
        return super.read(type, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        }, hints);
    }
}
