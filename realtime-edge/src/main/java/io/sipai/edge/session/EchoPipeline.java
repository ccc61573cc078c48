package io.sipai.edge.session;

/**
 * The pipeline used until a real one is configured: every caller frame is played straight back, and typed text is
 * returned as agent text. Useful for latency tests and for checking a client's audio path.
 */
public final class EchoPipeline implements VoicePipeline {

    /** Factory for the echo pipeline. */
    public static final VoicePipelineFactory FACTORY = EchoPipeline::new;

    private final SessionOutput output;

    public EchoPipeline(CallContext context, SessionOutput output) {
        this.output = output;
    }

    @Override
    public void onAudio(short[] frame, int length, long offsetMs) {
        output.sendAudio(frame, length);
    }

    @Override
    public void onText(String text) {
        output.agentText(text);
    }
}
