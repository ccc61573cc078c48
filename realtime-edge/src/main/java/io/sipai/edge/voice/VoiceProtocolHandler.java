package io.sipai.edge.voice;

import io.sipai.edge.auth.internal.VoiceHandshake;
import io.sipai.edge.internal.EdgeConnection;
import io.sipai.edge.internal.EdgeServices;
import io.sipai.edge.internal.EdgeSocketHandler;
import org.springframework.web.socket.WebSocketSession;

/**
 * {@code /realtime/voice} and {@code /v1/realtime/voice}: sipai's own protocol, version 1, for browsers and SDKs
 * (docs/realtime-protocol.md). The upgrade was authenticated by {@link VoiceHandshake}.
 */
public final class VoiceProtocolHandler extends EdgeSocketHandler {

    public VoiceProtocolHandler(EdgeServices services) {
        super(services);
    }

    @Override
    protected EdgeConnection open(WebSocketSession ws) {
        return new VoiceConnection(ws, services, (String) ws.getAttributes().get(VoiceHandshake.TENANT));
    }
}
