package io.sipai.edge.pipeline;

import static io.sipai.runtime.InvalidSettingException.inRange;

import java.util.List;
import java.util.Locale;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tuning of the voice pipeline; every field has a default.
 *
 * @param playbackLeadMs    {@code VOICE_PLAYBACK_LEAD_MS}: agent audio sent ahead of real time (default 100)
 * @param asrTimeoutMs      {@code VOICE_ASR_TIMEOUT_MS}: end of turn to final transcript before the call fails
 *                          (default 5000)
 * @param brainTimeoutMs    {@code VOICE_BRAIN_TIMEOUT_MS}: request to first token, and longest pause inside a
 *                          streamed reply, before the call fails (default 15000)
 * @param ttsTimeoutMs      {@code VOICE_TTS_TIMEOUT_MS}: sentence queued to its first audio before the call fails
 *                          (default 10000)
 * @param silencePrompt     {@code VOICE_SILENCE_PROMPT}: what the agent says after the caller was silent for the
 *                          agent's silencePromptMs (default "Are you still there?")
 * @param toolSigningSecret {@code VOICE_TOOL_SIGNING_SECRET}: Standard Webhooks secret ({@code whsec_<base64>}) that
 *                          signs HTTP tool requests; unsigned when absent
 * @param sphinxDecoders    {@code VOICE_SPHINX_DECODERS}: offline recognizers per grammar, ~90 MB each (default 1)
 * @param maryWorkers       {@code VOICE_MARY_WORKERS}: MaryTTS synthesis threads (default 1)
 * @param warmUp            {@code VOICE_WARM_UP}: load the offline TTS engine at startup instead of
 *                          on the first call that needs it (default false)
 * @param transferGraceMs   {@code VOICE_TRANSFER_GRACE_MS}: how long a provider that accepted a transfer may take to
 *                          end the stream before the edge ends the call as TRANSFERRED itself (default 10000)
 * @param warmUpCalls       {@code VOICE_WARM_UP_CALLS}: synthetic calls the edge runs through its pipeline (with
 *                          in-process stand-in vendors) before it reports ready, so that the first real calls do not
 *                          pay for the JIT; 0 turns the warm-up off (default 200)
 * @param offlineTts        {@code VOICE_OFFLINE_TTS}: the engine of agents whose tts provider is {@code offline}:
 *                          {@code flite} (first audio in about 11 ms; needs the {@code flite} program, Debian package
 *                          flite), {@code marytts} (in-process, about 240 ms) or {@code auto}, flite when it is
 *                          installed and MaryTTS otherwise (default auto)
 * @param fliteWorkers      {@code VOICE_FLITE_WORKERS}: flite processes that may run at once (default 2)
 * @param speculativeReplies {@code VOICE_SPECULATIVE_REPLIES}: start an LLM's reply on the caller's words at a
 *                          finished-sounding pause, while the recognizer finalizes them, and drop it unheard when the
 *                          final words differ (each dropped one is a paid request); needs a recognizer that gives
 *                          partials (Deepgram) (default true)
 */
@ConfigurationProperties("voice")
public record VoiceSettings(Integer playbackLeadMs, Integer asrTimeoutMs, Integer brainTimeoutMs,
                            Integer ttsTimeoutMs, String silencePrompt, String toolSigningSecret,
                            Integer sphinxDecoders, Integer maryWorkers, Boolean warmUp,
                            Integer transferGraceMs, Integer warmUpCalls, String offlineTts,
                            Integer fliteWorkers, Boolean speculativeReplies) {

    /** VOICE_OFFLINE_TTS values. */
    public static final List<String> OFFLINE_TTS = List.of("auto", "flite", "marytts");

    public VoiceSettings {
        playbackLeadMs = inRange("VOICE_PLAYBACK_LEAD_MS", playbackLeadMs, 100, 0, 5000);
        asrTimeoutMs = inRange("VOICE_ASR_TIMEOUT_MS", asrTimeoutMs, 5000, 100, 120_000);
        brainTimeoutMs = inRange("VOICE_BRAIN_TIMEOUT_MS", brainTimeoutMs, 15_000, 100, 600_000);
        ttsTimeoutMs = inRange("VOICE_TTS_TIMEOUT_MS", ttsTimeoutMs, 10_000, 100, 120_000);
        silencePrompt = silencePrompt == null || silencePrompt.isBlank() ? "Are you still there?" : silencePrompt;
        if (toolSigningSecret != null && !toolSigningSecret.isBlank() && !toolSigningSecret.startsWith("whsec_")) {
            throw new InvalidSettingException("VOICE_TOOL_SIGNING_SECRET", "must look like whsec_<base64>");
        }
        sphinxDecoders = inRange("VOICE_SPHINX_DECODERS", sphinxDecoders, 1, 1, 64);
        maryWorkers = inRange("VOICE_MARY_WORKERS", maryWorkers, 1, 1, 64);
        warmUp = warmUp != null && warmUp;
        transferGraceMs = inRange("VOICE_TRANSFER_GRACE_MS", transferGraceMs, 10_000, 100, 120_000);
        warmUpCalls = inRange("VOICE_WARM_UP_CALLS", warmUpCalls, 200, 0, 1_000);
        offlineTts = offlineTts == null || offlineTts.isBlank() ? "auto"
                : offlineTts.strip().toLowerCase(Locale.ROOT);
        if (!OFFLINE_TTS.contains(offlineTts)) {
            throw new InvalidSettingException("VOICE_OFFLINE_TTS", "must be one of " + OFFLINE_TTS + ", was "
                    + offlineTts);
        }
        fliteWorkers = inRange("VOICE_FLITE_WORKERS", fliteWorkers, 2, 1, 64);
        speculativeReplies = speculativeReplies == null || speculativeReplies;
    }

    /** All defaults; for tests and benchmarks. */
    public static VoiceSettings defaults() {
        return new VoiceSettings(null, null, null, null, null, null, null, null, false, null, null, null, null, null);
    }
}
