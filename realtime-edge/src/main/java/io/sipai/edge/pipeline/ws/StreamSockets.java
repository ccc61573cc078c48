package io.sipai.edge.pipeline.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The successive sockets of one call's stream to a vendor: {@link #open} opens a new one, and only the newest reports
 * to the stream's {@link Handler}, so a dropped socket's late messages and its end never reach the stream once a
 * new socket replaced it (see {@link VendorSocket#droppedByVendor}).
 */
public final class StreamSockets {

    /** What the stream hears from its current socket. */
    public interface Handler {
        void text(String message);

        default void binary(byte[] data) {
        }

        /** The current socket ended; {@code opened} whether its handshake had succeeded. */
        void closed(int code, String reason, boolean opened);
    }

    private final HttpClient http;
    private final URI uri;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Handler handler;
    private volatile int generation;

    public StreamSockets(HttpClient http, URI uri, Map<String, String> headers, Duration connectTimeout,
                         Handler handler) {
        this.http = http;
        this.uri = uri;
        this.headers = headers;
        this.connectTimeout = connectTimeout;
        this.handler = handler;
    }

    /** Opens a socket that replaces the previous one as the stream's current socket. */
    public VendorSocket open() {
        int current = ++generation;
        AtomicReference<VendorSocket> self = new AtomicReference<>();
        self.set(VendorSocket.open(http, uri, headers, connectTimeout, new VendorSocket.Handler() {
            @Override
            public void text(String message) {
                if (current == generation) {
                    handler.text(message);
                }
            }

            @Override
            public void binary(byte[] data) {
                if (current == generation) {
                    handler.binary(data);
                }
            }

            @Override
            public void closed(int code, String reason) {
                // A connect that fails at once reports before open() returned: never opened.
                VendorSocket closing = self.get();
                if (current == generation) {
                    handler.closed(code, reason, closing != null && closing.opened());
                }
            }
        }));
        return self.get();
    }
}
