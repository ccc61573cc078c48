package io.sipai.edge.connection;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Function;

import io.sipai.edge.wire.CloseCodes;
import io.sipai.edge.wire.ProtocolViolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import tools.jackson.core.JacksonException;

/**
 * The WebSocket plumbing every endpoint shares; the endpoint's connection factory makes the protocol's
 * {@link EdgeConnection} for each accepted socket. The container reads into small per-connection buffers
 * ({@code EDGE_SOCKET_BUFFER_BYTES}) and delivers larger messages in parts, which are assembled here up to
 * {@code EDGE_MAX_FRAME_BYTES} (beyond: close 1009), so idle connections stay cheap. Parser errors close with
 * 1007, protocol violations with 1008 and a reason, anything else with 1011; other connections are unaffected.
 */
public final class EdgeSocketHandler extends AbstractWebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeSocketHandler.class);
    private static final String CONNECTION = "sipai.edge.connection";
    private static final String ASSEMBLY = "sipai.edge.assembly";
    private static final int SMALL_BINARY = 4096;

    private final ConnectionServices services;
    private final Function<WebSocketSession, EdgeConnection> connections;

    /** @param connections creates the protocol's connection for an accepted socket */
    public EdgeSocketHandler(ConnectionServices services, Function<WebSocketSession, EdgeConnection> connections) {
        this.services = services;
        this.connections = connections;
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession ws) {
        EdgeConnection connection = connections.apply(ws);
        ws.getAttributes().put(CONNECTION, connection);
        services.drain().register(connection);
    }

    @Override
    protected void handleTextMessage(WebSocketSession ws, TextMessage message) {
        long received = System.nanoTime();
        EdgeConnection connection = connection(ws);
        String text = assembleText(ws, connection, message);
        if (text != null) {
            dispatch(connection, () -> connection.onText(text, received));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession ws, BinaryMessage message) {
        long received = System.nanoTime();
        EdgeConnection connection = connection(ws);
        Assembly assembly = (Assembly) ws.getAttributes().computeIfAbsent(ASSEMBLY, k -> new Assembly());
        ByteBuffer payload = message.getPayload();
        if (!assembly.addBinary(payload, services.settings().maxFrameBytes())) {
            connection.violation(CloseCodes.TOO_BIG, "message larger than " + services.settings().maxFrameBytes()
                    + " bytes");
            return;
        }
        if (message.isLast()) {
            dispatch(connection, () -> connection.onBinary(assembly.binary, assembly.binaryLength, received));
            assembly.resetBinary(SMALL_BINARY);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession ws, Throwable exception) {
        LOG.debug("transport error on {}: {}", ws.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession ws, CloseStatus status) {
        EdgeConnection connection = (EdgeConnection) ws.getAttributes().get(CONNECTION);
        if (connection != null) {
            services.drain().unregister(connection);
            connection.onClosed(status);
        }
    }

    private String assembleText(WebSocketSession ws, EdgeConnection connection, TextMessage message) {
        Assembly assembly = (Assembly) ws.getAttributes().computeIfAbsent(ASSEMBLY, k -> new Assembly());
        if (message.isLast() && assembly.text == null) {
            return checkedSize(connection, message.getPayload());
        }
        if (assembly.text == null) {
            assembly.text = new StringBuilder();
        }
        assembly.text.append(message.getPayload());
        if (assembly.text.length() > services.settings().maxFrameBytes()) {
            assembly.text = null;
            connection.violation(CloseCodes.TOO_BIG, "message larger than " + services.settings().maxFrameBytes()
                    + " bytes");
            return null;
        }
        if (!message.isLast()) {
            return null;
        }
        String text = assembly.text.toString();
        assembly.text = null;
        return text;
    }

    private String checkedSize(EdgeConnection connection, String text) {
        if (text.length() > services.settings().maxFrameBytes()) {
            connection.violation(CloseCodes.TOO_BIG, "message larger than " + services.settings().maxFrameBytes()
                    + " bytes");
            return null;
        }
        return text;
    }

    private static EdgeConnection connection(WebSocketSession ws) {
        return (EdgeConnection) ws.getAttributes().get(CONNECTION);
    }

    private static void dispatch(EdgeConnection connection, Runnable handling) {
        try {
            handling.run();
        } catch (ProtocolViolation e) {
            connection.violation(e.closeCode(), e.getMessage());
        } catch (JacksonException e) {
            connection.violation(CloseCodes.BAD_DATA, "invalid JSON");
        } catch (RuntimeException e) {
            LOG.error("message handling failed", e);
            connection.violation(CloseCodes.INTERNAL, "internal error");
        }
    }

    /** Per-connection reassembly state for messages delivered in parts. */
    private static final class Assembly {
        private StringBuilder text;
        private byte[] binary = new byte[SMALL_BINARY];
        private int binaryLength;

        boolean addBinary(ByteBuffer part, int max) {
            int needed = binaryLength + part.remaining();
            if (needed > max) {
                resetBinary(SMALL_BINARY);
                return false;
            }
            if (needed > binary.length) {
                binary = Arrays.copyOf(binary, Math.min(max, Math.max(needed, binary.length * 2)));
            }
            part.get(binary, binaryLength, part.remaining());
            binaryLength = needed;
            return true;
        }

        void resetBinary(int size) {
            binaryLength = 0;
            if (binary.length > size) {
                binary = new byte[size];
            }
        }
    }
}
