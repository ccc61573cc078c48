package io.sipai.edge.twilio;

import io.sipai.edge.internal.EdgeConnection;
import io.sipai.edge.internal.EdgeServices;
import io.sipai.edge.internal.EdgeSocketHandler;
import org.springframework.web.socket.WebSocketSession;

/**
 * {@code /telephony/twilio/stream}: Twilio Media Streams, bidirectional ({@code <Connect><Stream>}). Twilio
 * connects as the client; see {@link TwilioConnection} for the message handling.
 */
public final class TwilioMediaStreamHandler extends EdgeSocketHandler {

    public TwilioMediaStreamHandler(EdgeServices services) {
        super(services);
    }

    @Override
    protected EdgeConnection open(WebSocketSession ws) {
        return new TwilioConnection(ws, services);
    }
}
