package io.sipai.gateway.problems.internal;

import java.io.IOException;
import java.util.Map;

import io.sipai.gateway.db.DatabaseFailures;
import io.sipai.gateway.problems.Failures;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.problems.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a request that failed because PostgreSQL cannot be reached with 503 {@code database-unavailable} and
 * {@code Retry-After}, wherever the failure happened: in a filter (the API key lookup runs before any controller)
 * or in a controller ({@link ProblemHandler} answers those the same way). Without it an outage would surface as
 * 500 {@code internal}, which tells a client not to retry. It wraps every filter that may use the database.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class DatabaseOutageFilter extends OncePerRequestFilter {

    /** What a client is told to wait before trying again. */
    static final String RETRY_AFTER_SECONDS = "5";
    static final String DETAIL = "the database cannot be reached; try again in a few seconds";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageFilter.class);

    private final ProblemWriter problems;

    public DatabaseOutageFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException failure) {
            if (!DatabaseFailures.unavailable(failure) || response.isCommitted()) {
                throw failure;
            }
            log(request, failure);
            response.resetBuffer();
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            problems.write(request, response, ProblemType.DATABASE_UNAVAILABLE, DETAIL, Map.of());
        }
    }

    /** One line per refused request: an outage is expected to pass, its stack traces would only bury the log. */
    static void log(HttpServletRequest request, Throwable failure) {
        LOG.warn("database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(),
                Failures.describe(failure));
    }
}
