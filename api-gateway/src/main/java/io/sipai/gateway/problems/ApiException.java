package io.sipai.gateway.problems;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ProblemDetail;

/** An error to answer as an RFC 9457 problem: its type, a detail for humans, and extra members (e.g. field). */
public class ApiException extends RuntimeException {

    /** Longest client value a problem detail repeats; a longer one is cut, so an error never echoes a whole body. */
    private static final int MAX_ECHO = 100;

    private final ProblemType type;
    private final Map<String, Object> properties;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ApiException(ProblemType type, String detail, Map<String, Object> properties) {
        super(detail);
        this.type = type;
        this.properties = Map.copyOf(properties);
    }

    /** 422 naming the offending field. */
    public static ApiException invalid(String field, String detail) {
        return new ApiException(ProblemType.VALIDATION_FAILED, field + ": " + detail, Map.of("field", field));
    }

    /**
     * 400 {@code invalid-field-type} for a value outside a fixed set (an enum), naming the field and listing the
     * values it takes.
     */
    public static ApiException notOneOf(String field, Object value, Collection<String> allowed) {
        return new ApiException(ProblemType.INVALID_FIELD_TYPE, field + ": " + quote(value) + " is not one of "
                + String.join(", ", allowed), Map.of("field", field, "allowed", List.copyOf(allowed)));
    }

    /** 404 for anything that does not exist or belongs to another tenant (never 403, so ids do not leak). */
    public static ApiException notFound(String what, String id) {
        return new ApiException(ProblemType.NOT_FOUND, what + " " + quote(id) + " not found");
    }

    /** A client value as a problem detail shows it: quoted, and cut after {@value #MAX_ECHO} characters. */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text) + "'";
    }

    public ProblemType type() {
        return type;
    }

    /** The problem body. */
    public ProblemDetail toProblem(String instance) {
        return build(type, getMessage(), instance, properties);
    }

    /** A problem body of any type. */
    public static ProblemDetail build(ProblemType type, String detail, String instance, Map<String, Object> extra) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        URI uri = instance(instance);
        if (uri != null) {
            problem.setInstance(uri);
        }
        new LinkedHashMap<>(extra).forEach(problem::setProperty);
        return problem;
    }

    /**
     * The request path as the problem's {@code instance}, or null when it is no URI reference (the server lets
     * through request targets that java.net.URI refuses, and a problem must not fail on its own instance).
     */
    public static URI instance(String path) {
        if (path == null) {
            return null;
        }
        try {
            return new URI(path);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }
}
