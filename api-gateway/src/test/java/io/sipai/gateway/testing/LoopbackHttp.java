package io.sipai.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** The JDK's HTTP server on a free loopback port, as the fakes of vendors' APIs run. */
final class LoopbackHttp {

    private LoopbackHttp() {
    }

    /** A started server answering {@code context} (and below it) with {@code handler} on two threads. */
    static HttpServer serve(String context, HttpHandler handler) {
        return serve(context, 2, handler);
    }

    /** A started server answering {@code context} (and below it) with {@code handler} on {@code threads}. */
    static HttpServer serve(String context, int threads, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(context, handler);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
        return server;
    }
}
