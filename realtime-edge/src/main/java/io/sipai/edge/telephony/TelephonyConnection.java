package io.sipai.edge.telephony;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import io.sipai.common.CallDirection;
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
 * provider when the agent transfers it.
 */
public abstract class TelephonyConnection extends EdgeConnection {

    private final TelephonyProvider provider;
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
        providerCall = at;
        try {
            call(services.sessions().start(context, this, inFormat, sequenced, true));
        } catch (IllegalStateException e) {
            throw ProtocolViolation.policy("call already connected");
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
