package io.sipai.testing.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sipai.schemas.otlp.OtlpSpan;
import io.sipai.schemas.otlp.OtlpTraces;

/**
 * An OpenTelemetry collector for tests: an OTLP/HTTP receiver ({@code POST /v1/traces}, protobuf) on loopback that
 * keeps every span the services export. Point a service's {@code OTEL_EXPORTER_OTLP_ENDPOINT} at {@link #endpoint}.
 */
public final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<OtlpSpan> spans = new CopyOnWriteArrayList<>();

    public OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", this::receive);
        server.start();
    }

    /** The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far. */
    public List<OtlpSpan> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace. */
    public List<OtlpSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            spans.addAll(OtlpTraces.decode(body.readAllBytes()));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
