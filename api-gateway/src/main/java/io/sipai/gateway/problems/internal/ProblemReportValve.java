package io.sipai.gateway.problems.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.runtime.logging.LogRedaction;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's error report: every error the application did not answer itself (Tomcat refusing a URI, an
 * oversize header or a broken request line before the application sees it; an exception that escaped the filter
 * chain) becomes an {@code application/problem+json} body with a {@link ProblemType} type instead of Tomcat's HTML
 * page, and one log line. Tomcat creates it by class name, so it builds its JSON without Spring.
 */
public class ProblemReportValve extends ErrorReportValve {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemReportValve.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How much client text (request target, parse error) a detail or log line repeats. */
    private static final int MAX_ECHO = 300;
    private static final Pattern HEADER_LINE = Pattern.compile("(header line \\[).*?(\\] does not conform)");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As the HTML report: nothing for non-errors, answers already written, or errors reported once already.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemType type = ProblemType.forStatus(status);
        String detail = type == ProblemType.INTERNAL ? "internal error" : detail(response, throwable, status);
        log(request, type, status, detail, throwable);
        write(response, body(type, status, detail, request.getRequestURI()));
    }

    /** Tomcat's own reason: the error message it set, else its parse exception's first line, else the status. */
    private static String detail(Response response, Throwable throwable, int status) {
        String message = response.getMessage();
        if ((message == null || message.isBlank()) && throwable != null && throwable.getMessage() != null) {
            message = throwable.getMessage().lines().findFirst().orElse("");
        }
        if (message != null && !message.isBlank()) {
            // Tomcat quotes a refused header line whole; it may be a credential, so it is neither echoed nor logged.
            return cut(HEADER_LINE.matcher(message.strip()).replaceAll("$1(withheld)$2"));
        }
        return ProblemType.forStatus(status).title();
    }

    private static void log(Request request, ProblemType type, int status, String detail, Throwable throwable) {
        // A request line the server could not parse leaves no method or URI.
        String method = request.getMethod() == null ? "-" : request.getMethod();
        // The query may carry a credential (api_key, token, sig): its value is masked before the line is logged.
        String target = cut(request.getRequestURI() == null ? "(no request target)" : LogRedaction.text(
                request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString())));
        if (type == ProblemType.INTERNAL) {
            LOG.error("server error {} on {} {}: {}", status, method, target,
                    throwable == null ? "no exception" : throwable.toString());
        } else {
            LOG.warn("request refused by the server with {} {}: {} {}", status, detail, method, target);
        }
    }

    /** Client text in a detail or log line, cut so neither repeats a whole oversize request. */
    private static String cut(String text) {
        return text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
    }

    private static byte[] body(ProblemType type, int status, String detail, String path) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type.uri().toString());
        problem.put("title", type.title());
        problem.put("status", status);
        problem.put("detail", detail);
        URI instance = ApiException.instance(path);
        if (instance != null) {
            problem.put("instance", instance.toString());
        }
        return JSON.writeValueAsBytes(problem);
    }

    private static void write(Response response, byte[] body) {
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was committed meanwhile: there is no one left to answer.
            LOG.debug("could not write the error report", e);
        }
    }
}
