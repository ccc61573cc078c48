package io.sipai.gateway.tenants.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.problems.ProblemWriter;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.web.RoutedPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /v1/*} request (except the public health and OpenAPI paths) by its API key, from
 * {@code X-API-Key} or {@code Authorization: Bearer}, applies the key's and the tenant's rate limits (429 with
 * Retry-After), and stores the {@link Caller} as a request attribute. A client address that has used up its
 * allowance of failed authentications is answered 429 before its key is looked up, so guessing keys costs no
 * database query; while it waits, its requests with a valid key wait too (the address cannot be told apart from
 * the guesser without the lookup the limit exists to save).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class ApiKeyFilter extends OncePerRequestFilter {

    private static final Set<String> PUBLIC = Set.of("/v1/health", "/v1/openapi.json");

    private final ApiKeyStore keys;
    private final RateLimiter limiter;
    private final ProblemWriter problems;
    private final TrustedProxies proxies;

    public ApiKeyFilter(ApiKeyStore keys, RateLimiter limiter, ProblemWriter problems, AccessLimits limits) {
        this.keys = keys;
        this.limiter = limiter;
        this.problems = problems;
        this.proxies = TrustedProxies.parse(limits.trustedProxies());
    }

    /**
     * Decides on the path as routing sees it: decoded, normalized and without {@code ;} path parameters. The raw
     * request URI spells one path many ways ({@code /%76%31/agents}, {@code /v1;x=y/agents}, {@code //v1/agents}),
     * and a spelling that did not start with {@code /v1/} would otherwise skip authentication.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = RoutedPath.of(request);
        return !(path.equals("/v1") || path.startsWith("/v1/")) || PUBLIC.contains(path);
    }


    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = proxies.clientOf(request);
        long wait = limiter.authenticationWait(client, System.nanoTime());
        if (wait > 0) {
            tooMany(request, response, ProblemType.AUTHENTICATION_THROTTLED, wait,
                    "too many failed authentications from this address; retry after " + wait + " s");
            return;
        }
        String key = presentedKey(request);
        Optional<Caller> caller = key == null ? Optional.empty() : keys.authenticate(key);
        if (caller.isEmpty()) {
            limiter.authenticationFailed(client, System.nanoTime());
            response.setHeader("WWW-Authenticate", "Bearer");
            problems.write(request, response, ProblemType.UNAUTHENTICATED, key == null
                    ? "send an API key in X-API-Key or Authorization: Bearer" : "the API key is unknown or revoked",
                    Map.of());
            return;
        }
        long retryAfter = limiter.acquire(caller.get().keyId(), System.nanoTime());
        if (retryAfter > 0) {
            tooMany(request, response, ProblemType.RATE_LIMITED, retryAfter,
                    "rate limit of this API key exceeded; retry after " + retryAfter + " s");
            return;
        }
        retryAfter = limiter.acquireTenant(caller.get().tenantId(), System.nanoTime());
        if (retryAfter > 0) {
            tooMany(request, response, ProblemType.RATE_LIMITED, retryAfter,
                    "rate limit of this tenant (all its API keys together) exceeded; retry after " + retryAfter
                            + " s");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private void tooMany(HttpServletRequest request, HttpServletResponse response, ProblemType type, long seconds,
                         String detail) throws IOException {
        response.setHeader("Retry-After", Long.toString(seconds));
        problems.write(request, response, type, detail, Map.of("retryAfterSeconds", seconds));
    }

    private static String presentedKey(HttpServletRequest request) {
        String header = request.getHeader("X-API-Key");
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }
}
