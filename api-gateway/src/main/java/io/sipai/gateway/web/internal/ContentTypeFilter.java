package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.util.Map;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.problems.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a Content-Type that is not one concrete media type (unparseable, an unknown charset, or a wildcard such
 * as {@code *}{@code /*}) with 415 before Spring MVC reads it: Spring throws a plain IllegalArgumentException for a
 * wildcard, which would otherwise surface as a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
public class ContentTypeFilter extends OncePerRequestFilter {

    private final ProblemWriter problems;

    public ContentTypeFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getContentType();
        if (header != null && !concrete(header)) {
            problems.write(request, response, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type "
                    + ApiException.quote(header) + " is not a media type; send application/json", Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean concrete(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }
}
