package io.sipai.runtime.logging;

import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;

/**
 * Applies {@link LogRedaction} to every text member of every structured (JSON) log line a service writes: the
 * message, an exception's message and stack trace, MDC values. Installed for every service by
 * {@code ServiceDefaults} ({@code logging.structured.json.customizer}), so a URL with {@code ?api_key=} or a header
 * logged by any code, the frameworks' included, reaches the log files without its secret.
 */
public class RedactingLogCustomizer implements StructuredLoggingJsonMembersCustomizer<Object> {

    @Override
    public void customize(JsonWriter.Members<Object> members) {
        members.applyingValueProcessor(JsonWriter.ValueProcessor.of(CharSequence.class,
                value -> LogRedaction.text(value.toString())));
    }
}
