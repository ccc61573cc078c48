package io.sipai.gateway.web.internal;

import io.sipai.gateway.web.json.RequestJson;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Makes Spring MVC read JSON bodies through {@link RequestJson}, once they are UTF-8 ({@link Utf8JsonConverter}):
 * this configurer runs after Spring Boot's, so its JSON converter replaces Boot's (which would read with the
 * application's lenient mapper).
 */
@Configuration(proxyBeanMethods = false)
public class StrictInputConfiguration implements WebMvcConfigurer {

    private final RequestJson requestJson;

    public StrictInputConfiguration(RequestJson requestJson) {
        this.requestJson = requestJson;
    }

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.withJsonConverter(new Utf8JsonConverter(requestJson.mapper()));
    }

}
