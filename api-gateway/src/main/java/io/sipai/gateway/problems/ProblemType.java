package io.sipai.gateway.problems;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * Every kind of error the API answers, each with a stable {@code type} URI (RFC 9457) that clients can switch on.
 * The URIs identify the error; they are documented in docs/api.md.
 */
public enum ProblemType {
    UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Missing, unknown or revoked API key"),
    INSUFFICIENT_SCOPE("insufficient-scope", HttpStatus.FORBIDDEN, "The API key lacks the scope this needs"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "No such resource"),
    MALFORMED_REQUEST("malformed-request", HttpStatus.BAD_REQUEST,
            "The request line, URI or headers are not valid HTTP"),
    MALFORMED_BODY("malformed-body", HttpStatus.BAD_REQUEST, "The request body is not valid JSON"),
    MALFORMED_SPANS("malformed-spans", HttpStatus.BAD_REQUEST, "The request body is not an OTLP trace request"),
    UNKNOWN_FIELD("unknown-field", HttpStatus.BAD_REQUEST, "The request body has a field this resource lacks"),
    INVALID_FIELD_TYPE("invalid-field-type", HttpStatus.BAD_REQUEST, "A field has the wrong type or value"),
    INVALID_PARAMETER("invalid-parameter", HttpStatus.BAD_REQUEST, "A query or path parameter is not valid"),
    VALIDATION_FAILED("validation-failed", HttpStatus.UNPROCESSABLE_CONTENT, "A field value is not acceptable"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "The request body must be application/json"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed here"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "No representation matches the Accept header"),
    RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS, "Too many requests for this API key or tenant"),
    AUTHENTICATION_THROTTLED("authentication-throttled", HttpStatus.TOO_MANY_REQUESTS,
            "Too many failed authentications from this address"),
    API_KEY_LIMIT("api-key-limit", HttpStatus.CONFLICT, "The tenant has as many active API keys as allowed"),
    ADMISSION_REJECTED("admission-rejected", HttpStatus.TOO_MANY_REQUESTS, "A concurrency limit is reached"),
    ADMISSION_UNAVAILABLE("admission-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Admission did not answer in time"),
    CONFLICT("conflict", HttpStatus.CONFLICT, "The resource is not in a state that allows this"),
    NUMBER_TAKEN("number-taken", HttpStatus.CONFLICT, "The phone number is already in the directory"),
    PROVIDER_NOT_CONFIGURED("provider-not-configured", HttpStatus.SERVICE_UNAVAILABLE,
            "The telephony provider is not configured"),
    RECORDINGS_NOT_CONFIGURED("recordings-not-configured", HttpStatus.SERVICE_UNAVAILABLE,
            "No recording store is configured on this gateway"),
    ORIGINATION_FAILED("origination-failed", HttpStatus.BAD_GATEWAY, "The telephony provider refused the call"),
    INVALID_SIGNATURE("invalid-signature", HttpStatus.FORBIDDEN, "Missing or invalid webhook signature"),
    DATABASE_UNAVAILABLE("database-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "The database cannot be reached; try again"),
    TOO_MANY_STREAMS("too-many-streams", HttpStatus.SERVICE_UNAVAILABLE,
            "This instance serves as many live streams as it may; try again shortly"),
    INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    /** Prefix of every problem type URI. */
    public static final String BASE = "https://sipai.dev/problems/";

    private final String slug;
    private final HttpStatus status;
    private final String title;

    ProblemType(String slug, HttpStatus status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    public URI uri() {
        return URI.create(BASE + slug);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /**
     * The type for an error known only by its HTTP status (the server container's own refusals, Spring MVC's
     * framework errors): the general type of that status, else {@link #MALFORMED_REQUEST} for any other 4xx and
     * {@link #INTERNAL} for any 5xx. The problem body keeps the status actually answered.
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> INSUFFICIENT_SCOPE;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            // The server's refusals of a transfer coding or HTTP version it does not implement: the request is
            // at fault, though HTTP gives these 5xx statuses.
            case 501, 505 -> MALFORMED_REQUEST;
            default -> status >= 500 ? INTERNAL : MALFORMED_REQUEST;
        };
    }
}
