package io.sipai.edge.session;

import io.sipai.edge.codec.AudioFormat;

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

    /** Closes the connection after the session ended, with a WebSocket close code and reason. */
    void close(int closeCode, String reason);
}
