package io.sipai.edge.telephony;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sipai.common.CallDirection;
import io.sipai.common.EndReason;
import io.sipai.edge.codec.AudioFormat;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.connection.EdgeConnection;
import io.sipai.edge.session.CallContext;
import io.sipai.edge.wire.ProtocolViolation;
import io.sipai.schemas.telephony.TransferTarget;
import org.springframework.web.socket.WebSocketSession;

/**
 * The base of a provider's media connection: starts the stream's call, which api-gateway admitted when it answered
 * the provider's webhook (so the edge heartbeats and releases its slot), and hands the call over through the
 * provider when the agent transfers it. A provider whose upgrade already names the call ({@link #answersFor})
 * makes this connection answer for it from then on: should the connection end before the call starts, the call is
 * ended in the log and its slot released, once, whichever of the two happens first.
 */
public abstract class TelephonyConnection extends EdgeConnection {

    private final TelephonyProvider provider;
    private final long openedNanos = System.nanoTime();
    /** Decides once between starting the call that the connection answers for and giving it up. */
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile CallContext unstarted;
    private volatile ProviderCall providerCall;

    protected TelephonyConnection(WebSocketSession ws, ConnectionServices services, TelephonyProvider provider) {
        super(ws, services);
        this.provider = provider;
    }

    /**
     * Starts the call of this stream and remembers how the provider knows it.
     *
     * @param sequenced whether the provider numbers its audio messages (enables the jitter buffer)
     * @throws ProtocolViolation (1008) when the call is already connected to this node
     */
    protected final void startCall(CallContext context, AudioFormat inFormat, boolean sequenced, ProviderCall at) {
        if (unstarted != null && !settled.compareAndSet(false, true)) {
            // The connection ended first and gave the call up; it must not start after its end.
            return;
        }
        providerCall = at;
        try {
            call(services.sessions().start(context, this, inFormat, sequenced, true));
        } catch (IllegalStateException e) {
            throw ProtocolViolation.policy("call already connected");
        }
    }

    /**
     * The call this connection answers for before it starts: its ids come from an upgrade the provider check
     * verified (a per-call token for exactly this call), so the edge may end it should the connection end first.
     */
    protected final void answersFor(CallContext call) {
        unstarted = call;
    }

    @Override
    protected final void endedBeforeStart(EndReason reason, String detail) {
        CallContext call = unstarted;
        if (call != null && settled.compareAndSet(false, true)) {
            services.sessions().abandon(call, reason, detail, (System.nanoTime() - openedNanos) / 1_000_000, true);
        }
    }

    /** The direction api-gateway put into the call's parameters: outbound, else inbound. */
    protected static CallDirection direction(String value) {
        return "outbound".equalsIgnoreCase(value) ? CallDirection.OUTBOUND : CallDirection.INBOUND;
    }

    /** The provider takes the call over and then ends the media stream itself. */
    @Override
    public final CompletableFuture<Transferred> transfer(TransferTarget target) {
        ProviderCall at = providerCall;
        if (at == null || call() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no call yet"));
        }
        return provider.transfer(at, target).thenApply(done -> Transferred.PROVIDER_ENDS_STREAM);
    }

    @Override
    protected final String protocol() {
        return provider.transport().name().toLowerCase(Locale.ROOT);
    }
}
