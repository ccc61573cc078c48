package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console (module {@code console}, its build in {@code classpath:/static}) at {@code /}, same origin as the
 * API: file names under {@code /assets/} carry their content hash, so they are cached for a year; the page itself
 * is revalidated every time, so a new deployment's console is what the next load shows.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleResources implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/static/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }

    /**
     * Headers that keep the console's page from being framed, sniffed or made to load another origin's script;
     * the API's JSON answers are not pages and keep their own headers.
     */
    @Component
    static class ConsoleHeaders extends OncePerRequestFilter {

        /** Scripts and styles only from the gateway; the realtime edge may be another origin (ws/wss). */
        private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; media-src 'self' blob:; connect-src 'self' ws: wss: http: https:; "
                + "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                + "form-action 'self'";

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String path = request.getRequestURI();
            return path.startsWith("/v1") || path.startsWith("/telephony/") || path.startsWith("/health")
                    || path.startsWith("/metrics");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            response.setHeader("Content-Security-Policy", POLICY);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Referrer-Policy", "no-referrer");
            if (request.getRequestURI().equals("/") || request.getRequestURI().endsWith(".html")) {
                response.setHeader("Cache-Control", "no-cache");
            }
            chain.doFilter(request, response);
        }
    }
}
