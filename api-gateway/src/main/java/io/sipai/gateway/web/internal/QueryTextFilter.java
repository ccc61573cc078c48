package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.problems.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, on every path the server serves, a query string that {@link QueryText} refuses: 400
 * {@code invalid-parameter} naming the parameter, before authentication or any handler reads it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class QueryTextFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    public QueryTextFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        Optional<QueryText.Refusal> refusal = query == null ? Optional.empty() : QueryText.check(query);
        if (refusal.isPresent()) {
            problems.write(request, response, ProblemType.INVALID_PARAMETER,
                    refusal.get().parameter() + ": " + refusal.get().reason(),
                    Map.of("field", refusal.get().parameter()));
            return;
        }
        chain.doFilter(request, response);
    }
}
