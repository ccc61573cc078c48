package io.sipai.edge.jambonz;

import io.sipai.edge.internal.EdgeConnection;
import io.sipai.edge.internal.EdgeServices;
import io.sipai.edge.internal.EdgeSocketHandler;
import org.springframework.web.socket.WebSocketSession;

/**
 * {@code /telephony/jambonz/listen}: the audio socket of jambonz's {@code listen} verb (subprotocol
 * {@code audio.jambonz.org} or {@code audio.drachtio.org}, both accepted). See {@link JambonzConnection}.
 */
public final class JambonzListenHandler extends EdgeSocketHandler {

    public JambonzListenHandler(EdgeServices services) {
        super(services);
    }

    @Override
    protected EdgeConnection open(WebSocketSession ws) {
        return new JambonzConnection(ws, services);
    }
}
