package io.sipai.gateway.problems.internal;

import java.util.Map;

import io.sipai.gateway.db.DatabaseFailures;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.PayloadTooLargeException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.web.json.JsonPaths;
import io.sipai.gateway.web.json.UnstorableTextException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.coyote.BadRequestException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error of the REST and telephony controllers into an RFC 9457 {@code application/problem+json} body
 * with a stable type; body errors name the offending field (its JSON path). Spring MVC's own errors (405, 406,
 * 415, ...) keep their status and get the type of that status; a database that cannot be reached is a 503 to
 * retry ({@link DatabaseOutageFilter}); anything else unexpected is a logged 500.
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return respond(e.type().status().value(), e.toProblem(request.getRequestURI()), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof PayloadTooLargeException tooLarge) {
            return problem(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), request, Map.of());
        }
        if (cause instanceof JacksonException json) {
            if (json.getCause() instanceof ApiException api) {
                return api(api, request);
            }
            ApiException field = BodyErrors.fieldError(json);
            if (field != null) {
                return api(field, request);
            }
        }
        return problem(ProblemType.MALFORMED_BODY, "the request body is missing or is not valid JSON", request,
                Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + ApiException.quote(
                e.getContentType()) + " is not supported; send application/json", request, Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return problem(ProblemType.NOT_FOUND, "no such path: " + ApiException.quote(request.getRequestURI()), request,
                Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return problem(ProblemType.INVALID_PARAMETER, e.getName() + ": " + ApiException.quote(e.getValue())
                + " is not valid", request, Map.of("field", e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return problem(ProblemType.INVALID_PARAMETER, e.getParameterName() + " is required", request,
                Map.of("field", e.getParameterName()));
    }

    /** The servlet container refused to parse parameters (e.g. a form body that is not valid URL encoding). */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> parameters(InvalidParameterException e, HttpServletRequest request) {
        return problem(ProblemType.INVALID_PARAMETER, "the request parameters cannot be decoded", request,
                Map.of("field", "query"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse error) {
            return framework(e, error, request);
        }
        if (DatabaseFailures.unavailable(e)) {
            DatabaseOutageFilter.log(request, e);
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, DatabaseOutageFilter.RETRY_AFTER_SECONDS);
            return respond(ProblemType.DATABASE_UNAVAILABLE.status().value(), ApiException.build(
                    ProblemType.DATABASE_UNAVAILABLE, DatabaseOutageFilter.DETAIL, request.getRequestURI(),
                    Map.of()), headers);
        }
        if (unreadableByTheConnector(e)) {
            LOG.debug("{} {}: the request could not be read: {}", request.getMethod(), request.getRequestURI(),
                    e.toString());
            return problem(ProblemType.MALFORMED_REQUEST, "the request body could not be read", request, Map.of());
        }
        LOG.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(ProblemType.INTERNAL, "internal error", request, Map.of());
    }

    /** Tomcat's verdict on what the client sent (a broken chunked encoding, a body cut short), however wrapped. */
    private static boolean unreadableByTheConnector(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadRequestException) {
                return true;
            }
        }
        return false;
    }

    /** Spring MVC's own errors (405, 406, missing headers, ...): their status, and the type of that status. */
    private static ResponseEntity<ProblemDetail> framework(Exception e, ErrorResponse error,
                                                           HttpServletRequest request) {
        int status = error.getStatusCode().value();
        if (status >= 500) {
            LOG.error("{} {} failed: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
        }
        String detail = error.getBody().getDetail() != null ? error.getBody().getDetail()
                : e.getClass().getSimpleName();
        ProblemType type = ProblemType.forStatus(status);
        ProblemDetail body = ApiException.build(type, detail, request.getRequestURI(), Map.of());
        body.setStatus(status);
        return respond(status, body, error.getHeaders());
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemType type, String detail, HttpServletRequest request,
                                                         Map<String, Object> extra) {
        return respond(type.status().value(), ApiException.build(type, detail, request.getRequestURI(), extra),
                HttpHeaders.EMPTY);
    }

    /** The content type is set here, so an Accept header that excludes problem+json cannot turn this into a 406. */
    private static ResponseEntity<ProblemDetail> respond(int status, ProblemDetail body, HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    /** Problems for a body that is JSON but does not fit its type; null for syntax errors and the like. */
    static final class BodyErrors {

        private BodyErrors() {
        }

        static ApiException fieldError(JacksonException e) {
            String field = JsonPaths.of(e);
            if (e instanceof UnrecognizedPropertyException) {
                return new ApiException(ProblemType.UNKNOWN_FIELD, "unknown field " + ApiException.quote(field),
                        Map.of("field", field));
            }
            if (field.isEmpty()) {
                return null;
            }
            if (e instanceof UnstorableTextException) {
                return new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + e.getOriginalMessage(),
                        Map.of("field", field));
            }
            if (e instanceof InvalidFormatException format && format.getTargetType() != null
                    && format.getTargetType().isEnum()) {
                return ApiException.notOneOf(field, format.getValue(), JsonTypes.enumValues(format.getTargetType()));
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                    && mismatch.getTargetType().isEnum()) {
                var allowed = JsonTypes.enumValues(mismatch.getTargetType());
                return new ApiException(ProblemType.INVALID_FIELD_TYPE, field + ": must be one of "
                        + String.join(", ", allowed), Map.of("field", field, "allowed", allowed));
            }
            if (e instanceof MismatchedInputException mismatch) {
                return wrongType(field, "must be " + JsonTypes.expected(mismatch.getTargetType()));
            }
            if (e instanceof InputCoercionException) {
                return wrongType(field, "is a number out of range");
            }
            return null;
        }

        private static ApiException wrongType(String field, String detail) {
            return new ApiException(ProblemType.INVALID_FIELD_TYPE, field + ": " + detail, Map.of("field", field));
        }
    }
}
