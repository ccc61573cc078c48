package io.sipai.edge.session;

import java.util.concurrent.CompletableFuture;

import io.sipai.edge.codec.AudioFormat;
import io.sipai.schemas.telephony.TransferTarget;

/**
 * The connection side of a call session: one implementation per wire protocol (own protocol, Twilio, jambonz).
 * Every method must return quickly and never block on the network: implementations queue into a bounded outbound
 * buffer and send asynchronously.
 */
public interface MediaTransport {

    /** Format the transport sends to the client; the session converts to it. */
    AudioFormat outboundFormat();

    /** Sends encoded audio; {@code encoded} is reused after the call returns. */
    void sendAudio(byte[] encoded, int length);

    /** Sends a playback mark that the client acknowledges once the audio before it has played. */
    void sendMark(String name);

    /** Tells the client to drop buffered audio now (barge-in). */
    void sendClear();

    /** Shows a transcript to the caller where the protocol has a way to (own protocol only). */
    default void sendTranscript(String text, boolean isFinal) {
    }

    /** Shows the agent's text where the protocol has a way to (own protocol only). */
    default void sendAgentText(String text) {
    }

    /** How a transfer the transport accepted ends the session. */
    enum Transferred {
        /** The provider took the call over and will end the media stream itself (Twilio stop, jambonz close). */
        PROVIDER_ENDS_STREAM,
        /** The client was told to transfer; the session ends now (own protocol). */
        END_NOW
    }

    /**
     * Hands the call to {@code target} through the provider (REST call update) or tells the client to. Completes
     * when the provider accepted it; fails with the reason otherwise. Never blocks.
     */
    default CompletableFuture<Transferred> transfer(TransferTarget target) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this transport cannot transfer"));
    }

    /** Closes the connection after the session ended, with a WebSocket close code and reason. */
    void close(int closeCode, String reason);
}
