package io.sipai.edge.session;

import io.sipai.common.EndReason;

/**
 * One live call on this edge node, as its connection drives it: caller audio, digits, text and playback marks go in;
 * the call ends once. Inbound methods are called from the connection's receiving thread, one at a time;
 * {@link #end} may be called from any thread and acts once.
 */
public interface CallSession {

    /** Who and what the call is for. */
    CallContext context();

    /**
     * Caller audio in the transport's encoding.
     *
     * @param sequence      transport sequence number for reordering, or -1 when the transport has none
     * @param data          the encoded audio; reused by the caller after the call returns
     * @param receivedNanos {@link System#nanoTime()} when the message arrived, for the handling-time metric
     */
    void audioIn(long sequence, byte[] data, int length, long receivedNanos);

    /** The caller pressed digits. */
    void dtmf(String digits, Integer durationMs);

    /** The caller typed text. */
    void text(String text);

    /** The client acknowledged a mark. */
    void markPlayed(String name);

    /**
     * Ends the call once: closes the pipeline, writes CallEnded, releases the slot. Does not close the socket. While
     * a transfer is under way, the provider ending the stream (a CALLER_HANGUP) is the transfer completing.
     */
    void end(EndReason reason, String detail);

    /** Ends the call and closes the connection. */
    void endAndClose(EndReason reason, String detail, int closeCode, String closeReason);
}
