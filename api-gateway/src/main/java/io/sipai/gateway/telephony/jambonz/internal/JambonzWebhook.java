package io.sipai.gateway.telephony.jambonz.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import io.sipai.gateway.web.json.JsonPaths;
import io.sipai.gateway.web.json.UnstorableTextException;
import io.sipai.gateway.web.json.Utf8Body;
import io.sipai.schemas.telephony.JambonzSignature;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A jambonz webhook request whose {@code Jambonz-Signature} (over the raw body, within 300 s, any of the
 * configured secrets: {@link JambonzSignature}) checked out: its body as a JSON object, read strictly (text that
 * cannot be stored is refused with its field).
 */
record JambonzWebhook(JsonNode body) {

    /** Verifies {@code request}: 503 without JAMBONZ_WEBHOOK_SECRET, 403 for a missing, stale or wrong signature. */
    static JambonzWebhook verify(HttpServletRequest request, JambonzSettings settings, ObjectMapper mapper,
                                 Clock clock) throws IOException {
        if (settings.secrets().isEmpty()) {
            throw new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, "JAMBONZ_WEBHOOK_SECRET is not set");
        }
        byte[] raw = request.getInputStream().readAllBytes();
        if (!JambonzSignature.verify(settings.secrets(), request.getHeader("Jambonz-Signature"), raw,
                clock.instant())) {
            throw new ApiException(ProblemType.INVALID_SIGNATURE, "Jambonz-Signature is missing, stale or wrong");
        }
        try {
            JsonNode body = mapper.readTree(Utf8Body.require(raw));
            if (!body.isObject()) {
                throw new ApiException(ProblemType.MALFORMED_BODY, "expected a JSON object");
            }
            return new JambonzWebhook(body);
        } catch (UnstorableTextException e) {
            String field = JsonPaths.of(e).isEmpty() ? "body" : JsonPaths.of(e);
            throw new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + e.getOriginalMessage(),
                    Map.of("field", field));
        } catch (JacksonException e) {
            throw new ApiException(ProblemType.MALFORMED_BODY, "the request body is not valid JSON");
        }
    }

    /** A text member, or null. */
    String text(String field) {
        return body.path(field).stringValue(null);
    }

    /** A text member, or 422 naming it. */
    String required(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, field + ": is required", Map.of("field", field));
        }
        return value;
    }

    /** The sipai call id jambonz carries back from the create-call {@code tag} of a call the API placed. */
    String sipaiCallId() {
        return body.path("customerData").path("sipaiCallId").stringValue(null);
    }
}
