package io.sipai.gateway.web.internal;

import java.io.IOException;
import java.util.Map;

import io.sipai.gateway.problems.PayloadTooLargeException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.problems.ProblemWriter;
import io.sipai.gateway.traces.TraceViewSettings;
import io.sipai.gateway.web.ApiSettings;
import io.sipai.gateway.web.RoutedPath;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies above {@code API_MAX_BODY_BYTES} with 413: at once when Content-Length says so, and while
 * reading when a chunked body grows too large (nothing is written, since the body never parses). The services' span
 * batches to the trace receiver ({@code /otlp/v1/traces}) may be up to 4 MiB; the receiver reads nothing unless it
 * takes the request.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class BodyLimitFilter extends OncePerRequestFilter {

    private final long limit;
    private final ProblemWriter problems;

    public BodyLimitFilter(ApiSettings settings, ProblemWriter problems) {
        this.limit = settings.maxBodyBytes();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // The routed path, not the raw URI: "/otlp/../v1/agents" must not get the receiver's limit.
        long allowed = TraceViewSettings.RECEIVER_PATH.equals(RoutedPath.of(request))
                ? TraceViewSettings.MAX_BATCH_BYTES : limit;
        if (request.getContentLengthLong() > allowed) {
            problems.write(request, response, ProblemType.PAYLOAD_TOO_LARGE,
                    "the request body exceeds " + allowed + " bytes", Map.of("limit", allowed));
            return;
        }
        chain.doFilter(new Limited(request, allowed), response);
    }


    private static final class Limited extends HttpServletRequestWrapper {
        private final long limit;

        Limited(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new PayloadTooLargeException(limit);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
