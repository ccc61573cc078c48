package io.sipai.gateway.problems;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ProblemDetail;

/** An error to answer as an RFC 9457 problem: its type, a detail for humans, and extra members (e.g. field). */
public class ApiException extends RuntimeException {

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

    /** 404 for anything that does not exist or belongs to another tenant (never 403, so ids do not leak). */
    public static ApiException notFound(String what, String id) {
        return new ApiException(ProblemType.NOT_FOUND, what + " " + id + " not found");
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
        if (instance != null) {
            problem.setInstance(java.net.URI.create(instance));
        }
        new LinkedHashMap<>(extra).forEach(problem::setProperty);
        return problem;
    }
}
