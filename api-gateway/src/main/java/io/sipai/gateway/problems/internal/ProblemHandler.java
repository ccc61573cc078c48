package io.sipai.gateway.problems.internal;

import java.util.Map;
import java.util.stream.Collectors;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every error of the REST and telephony controllers into an RFC 9457 {@code application/problem+json} body
 * with a stable type; body errors name the offending field (its JSON path).
 */
@RestControllerAdvice
public class ProblemHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return respond(e.type(), e.toProblem(request.getRequestURI()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof PayloadTooLargeException tooLarge) {
            return problem(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.getMessage(), request, Map.of());
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return problem(ProblemType.UNKNOWN_FIELD, "unknown field '" + field + "'", request, Map.of("field", field));
        }
        if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            DatabindException bad = (DatabindException) cause;
            String field = path(bad);
            if (!field.isEmpty()) {
                return problem(ProblemType.INVALID_FIELD_TYPE, field + ": " + bad.getOriginalMessage(), request,
                        Map.of("field", field));
            }
        }
        if (cause instanceof DatabindException bad && bad.getCause() instanceof ApiException api) {
            return api(api, request);
        }
        if (cause instanceof DatabindException bad && !path(bad).isEmpty()) {
            return problem(ProblemType.INVALID_FIELD_TYPE, path(bad) + ": " + bad.getOriginalMessage(), request,
                    Map.of("field", path(bad)));
        }
        return problem(ProblemType.MALFORMED_BODY, "the request body is missing or is not valid JSON", request,
                Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return problem(ProblemType.UNSUPPORTED_MEDIA_TYPE, e.getMessage(), request, Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problem(ProblemType.METHOD_NOT_ALLOWED, e.getMessage(), request, Map.of());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return problem(ProblemType.NOT_FOUND, "no such path: " + request.getRequestURI(), request, Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return problem(ProblemType.INVALID_PARAMETER, e.getName() + ": '" + e.getValue() + "' is not valid", request,
                Map.of("field", e.getName()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missing(MissingServletRequestParameterException e, HttpServletRequest request) {
        return problem(ProblemType.INVALID_PARAMETER, e.getParameterName() + " is required", request,
                Map.of("field", e.getParameterName()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        LOG.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(ProblemType.INTERNAL, "internal error", request, Map.of());
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemType type, String detail, HttpServletRequest request,
                                                         Map<String, Object> extra) {
        return respond(type, ApiException.build(type, detail, request.getRequestURI(), extra));
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemType type, ProblemDetail body) {
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** JSON path of the failing field, e.g. {@code tools[0].url}. */
    static String path(DatabindException e) {
        return e.getPath().stream().map(ref -> ref.getPropertyName() != null ? "." + ref.getPropertyName()
                : "[" + ref.getIndex() + "]").collect(Collectors.joining()).replaceFirst("^\\.", "");
    }
}
