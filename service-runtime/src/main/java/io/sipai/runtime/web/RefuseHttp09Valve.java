package io.sipai.runtime.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Refuses HTTP/0.9 requests ({@code GET /path} without a version), which Tomcat would otherwise pass to the
 * application and answer with a bare body: no status line, no headers, nothing a proxy or client can tell from a
 * broken HTTP/1.x answer. The answer is committed empty, so no error page follows, and the connection closes (HTTP/0.9
 * has no keep-alive). Installed as an engine valve, so it runs before every other valve.
 */
final class RefuseHttp09Valve extends ValveBase {

    RefuseHttp09Valve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String protocol = request.getProtocol();
        // A request line Tomcat already refused (e.g. "HTTP/1.1 extra") also has no protocol, and a status of 400:
        // it goes on to the error report like before.
        if ((protocol == null || protocol.isEmpty()) && response.getStatus() < 400) {
            response.setStatus(400);
            response.flushBuffer();
            return;
        }
        getNext().invoke(request, response);
    }
}
