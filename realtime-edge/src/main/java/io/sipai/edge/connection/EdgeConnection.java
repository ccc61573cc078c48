package io.sipai.edge.connection;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sipai.common.EndReason;
import io.sipai.edge.session.CallSession;
import io.sipai.edge.session.MediaTransport;
import io.sipai.edge.wire.CloseCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One accepted WebSocket of any protocol: owns the bounded outbound channel and, once the protocol's start message
 * arrived, the {@link CallSession}. Subclasses parse their protocol in {@link #onText}/{@link #onBinary} (called
 * from the container's receiving thread, one message at a time) and implement {@link MediaTransport}. Closing never
 * blocks the caller.
 */
public abstract class EdgeConnection implements MediaTransport {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeConnection.class);

    protected final WebSocketSession ws;
    protected final ConnectionServices services;
    protected final OutboundChannel out;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile CallSession call;
    private volatile boolean disconnected;

    protected EdgeConnection(WebSocketSession ws, ConnectionServices services) {
        this.ws = ws;
        this.services = services;
        jakarta.websocket.Session jakarta =
                ((NativeWebSocketSession) ws).getNativeSession(jakarta.websocket.Session.class);
        int audioMessages = Math.max(5, services.settings().outboundBufferMs() / 20);
        this.out = new OutboundChannel(jakarta.getAsyncRemote(), audioMessages,
                services.settings().slowReaderTimeoutMs(), services.settings().sendTimeoutMs(), this::slowReader,
                () -> services.metrics().outboundDropped().increment());
    }

    /** A complete text message. */
    public abstract void onText(String text, long receivedNanos);

    /** A complete binary message; {@code data} is reused after the call returns. */
    public abstract void onBinary(byte[] data, int length, long receivedNanos);

    /** The call of this connection, once started. */
    protected final CallSession call() {
        return call;
    }

    /**
     * Attaches the started call. A socket that closed while the call was being admitted ends it at once: no close
     * event will come for it any more, and a live session would hold its slot with heartbeats forever.
     */
    protected final void call(CallSession session) {
        this.call = session;
        if (disconnected) {
            session.end(EndReason.CALLER_HANGUP, "connection closed before the call started");
        }
    }

    /** The socket closed (by either side). Ends the call as a caller hangup unless it already ended. */
    public void onClosed(CloseStatus status) {
        disconnected = true;
        out.close();
        CallSession current = call;
        if (current != null) {
            current.end(EndReason.CALLER_HANGUP, "connection closed (" + status.getCode() + ")");
        } else {
            endedBeforeStart(EndReason.CALLER_HANGUP, "connection closed before the call started ("
                    + status.getCode() + ")");
        }
    }

    /** The client broke the protocol: end the call as an error and close with the violation's code. */
    public void violation(int code, String reason) {
        LOG.info("closing {} connection {}: {} {}", protocol(), ws.getId(), code, reason);
        CallSession current = call;
        if (current != null) {
            current.end(EndReason.ERROR, "protocol violation: " + reason);
        } else {
            endedBeforeStart(EndReason.ERROR, "protocol violation before the call started: " + reason);
        }
        close(code, reason);
    }

    /** Server shutdown: end the call as DRAINED and close with 1001. */
    public void drain() {
        CallSession current = call;
        if (current != null) {
            current.end(EndReason.DRAINED, "edge node shut down");
        } else {
            endedBeforeStart(EndReason.DRAINED, "edge node shut down before the call started");
        }
        close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    /**
     * The connection is over (closed, broken or drained) and its call's session never started. A protocol that
     * answers for a call before its session starts (jambonz: the upgrade carried the call's verified ids) ends that
     * call here, so a call the edge gave up on is over in the log; the default does nothing (no call is known yet,
     * or, for the own protocol, the pending admission decision ends it). May run more than once.
     */
    protected void endedBeforeStart(EndReason reason, String detail) {
    }

    @Override
    public final void close(int closeCode, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        out.shutdown(closingMessage(closeCode, reason), () -> {
            try {
                ws.close(new CloseStatus(closeCode, reason));
            } catch (IOException | RuntimeException e) {
                LOG.debug("close of {} failed: {}", ws.getId(), e.toString());
            }
        });
    }

    /** A last text message to send before a close the server initiates (own protocol: error/ended), or null. */
    protected String closingMessage(int closeCode, String reason) {
        return null;
    }

    /** Short protocol name for logs. */
    protected abstract String protocol();

    private void slowReader() {
        services.metrics().slowReaders().increment();
        LOG.warn("{} connection {} stopped reading; closing with 1008", protocol(), ws.getId());
        CallSession current = call;
        if (current != null) {
            current.end(EndReason.ERROR, "client stopped reading audio");
        } else {
            endedBeforeStart(EndReason.ERROR, "client stopped reading before the call started");
        }
        close(CloseCodes.POLICY, "client not reading");
    }
}
