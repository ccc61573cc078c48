package io.sipai.gateway.telephony.twilio.internal;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.telephony.TelephonySettings;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import io.sipai.gateway.web.StorableText;
import io.sipai.schemas.telephony.TwilioSignature;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A Twilio webhook request whose {@code X-Twilio-Signature} checked out: its form (POST) parameters and its query
 * parameters, decoded. The signature covers the URL as Twilio called it and the form parameters of the body
 * ({@link TwilioSignature}, shared with realtime-edge).
 */
record TwilioWebhook(Map<String, List<String>> form, Map<String, String> query) {

    /** Verifies {@code request}: 503 without TWILIO_AUTH_TOKEN, 403 for a missing or wrong signature. */
    static TwilioWebhook verify(HttpServletRequest request, TwilioSettings settings, TelephonySettings telephony)
            throws IOException {
        TwilioSignature signature = new TwilioSignature(settings.authToken());
        if (!signature.configured()) {
            throw new ApiException(ProblemType.PROVIDER_NOT_CONFIGURED, "TWILIO_AUTH_TOKEN is not set");
        }
        // Read the raw body: the servlet parameter map would mix query parameters into the signed POST params.
        Map<String, List<String>> form = parse(new String(request.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
        if (!signature.valid(publicUrl(request, telephony), form, request.getHeader("X-Twilio-Signature"))) {
            throw new ApiException(ProblemType.INVALID_SIGNATURE, "X-Twilio-Signature is missing or wrong");
        }
        Map<String, String> query = new LinkedHashMap<>();
        parse(request.getQueryString() == null ? "" : request.getQueryString())
                .forEach((name, values) -> query.put(name, values.getFirst()));
        return new TwilioWebhook(form, query);
    }

    /** The first value of a form parameter, or null. */
    String first(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The first value of a form parameter, or 422 naming it. */
    String required(String name) {
        String value = first(name);
        if (value == null || value.isBlank()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, name + ": is required", Map.of("field", name));
        }
        return value;
    }

    /** The URL as Twilio requested it: TELEPHONY_WEBHOOK_BASE_URL behind a proxy, else the request's own. */
    private static String publicUrl(HttpServletRequest request, TelephonySettings telephony) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        if (telephony.webhookBaseUrl() != null) {
            return telephony.webhookBaseUrl() + request.getRequestURI() + query;
        }
        return request.getRequestURL() + query;
    }

    /**
     * Form (or query) parameters; 400 {@code malformed-body} when they are not URL encoding (URLDecoder throws on a
     * stray {@code %}), 422 naming the parameter when a value holds text nothing downstream can store.
     */
    static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            StorableText.check("parameter name", name);
            StorableText.check(name, value);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.MALFORMED_BODY, "the form is not valid URL encoding");
        }
    }
}
