package io.sipai.edge.session;

/**
 * Creates the pipeline of each call. The voice pipeline module contributes a bean of this type; without one the
 * edge uses {@link EchoPipeline}, which plays the caller's audio back.
 */
@FunctionalInterface
public interface VoicePipelineFactory {

    VoicePipeline create(CallContext context, SessionOutput output);
}
