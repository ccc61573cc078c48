package io.sipai.gateway.agents;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sipai.config.RecordingChannels;
import io.sipai.config.RecordingFormat;
import io.sipai.config.RecordingSettings;
import io.sipai.config.VoicemailSettings;
import io.sipai.gateway.problems.ApiException;
import io.sipai.schemas.telephony.CallOverrides;

/**
 * The call features an agent sets and a campaign or one call may override, as clients write them: recording and
 * answering machine detection. An agent's are its defaults; a campaign's override them for the campaign's calls; a
 * call's own ({@code POST /v1/calls}) override both, part by part.
 */
public final class CallFeatures {

    private CallFeatures() {
    }

    /** Call recording: off unless enabled; dual-channel WAV by default. */
    public record Recording(Boolean enabled, Channels channels, Format format) {

        /** As the agent's configuration carries it. */
        public RecordingSettings settings() {
            return new RecordingSettings(Boolean.TRUE.equals(enabled),
                    channels == Channels.MIXED ? RecordingChannels.MIXED : RecordingChannels.DUAL, RecordingFormat.WAV);
        }
    }

    /** {@code dual}: caller left, agent right; {@code mixed}: one channel. */
    public enum Channels {
        @JsonProperty("dual") DUAL,
        @JsonProperty("mixed") MIXED
    }

    /** {@code wav}: 16-bit PCM, 16 kHz. */
    public enum Format {
        @JsonProperty("wav") WAV
    }

    /** Answering machine detection on outbound calls: off unless detect; hang up by default. */
    public record Voicemail(Boolean detect, VoicemailAction action, String message) {

        /** Refuses a message too long, or missing where it is to be left; {@code field} names it in the answer. */
        public void validate(String field) {
            if (message != null && message.length() > 1_000) {
                throw ApiException.invalid(field + ".message", "must be at most 1000 characters");
            }
            if (action == VoicemailAction.LEAVE_MESSAGE && (message == null || message.isBlank())) {
                throw ApiException.invalid(field + ".message", "is required to leave a message");
            }
        }

        /** As the agent's configuration carries it. */
        public VoicemailSettings settings() {
            return new VoicemailSettings(Boolean.TRUE.equals(detect), action == VoicemailAction.LEAVE_MESSAGE
                    ? io.sipai.config.VoicemailAction.LEAVE_MESSAGE : io.sipai.config.VoicemailAction.HANGUP, message);
        }

        /** The answering machine action a provider's detection is asked for, or null when detection is off. */
        public String providerAction() {
            if (!Boolean.TRUE.equals(detect)) {
                return null;
            }
            return action == VoicemailAction.LEAVE_MESSAGE ? "leave_message" : "hangup";
        }
    }

    /** {@code hangup}: end the call; {@code leave_message}: say the message after the beep, then end the call. */
    public enum VoicemailAction {
        @JsonProperty("hangup") HANGUP,
        @JsonProperty("leave_message") LEAVE_MESSAGE
    }

    /** A campaign's or a call's overrides of its agent's features; a null part follows the agent (or campaign). */
    public record Overrides(Recording recording, Voicemail voicemail) {

        public static final Overrides NONE = new Overrides(null, null);

        /** These, with each part left null taken from {@code fallback} (a call's own over its campaign's). */
        public Overrides over(Overrides fallback) {
            return new Overrides(recording != null ? recording : fallback.recording(),
                    voicemail != null ? voicemail : fallback.voicemail());
        }

        /** Refuses what an agent's features would refuse. */
        public void validate() {
            if (voicemail != null) {
                voicemail.validate("voicemail");
            }
        }

        /** Whether nothing is overridden. */
        @JsonIgnore
        public boolean isEmpty() {
            return recording == null && voicemail == null;
        }

        /** The media connection's parameters that carry them to realtime-edge ({@link CallOverrides}). */
        public Map<String, String> mediaParameters() {
            return CallOverrides.parameters(recording == null ? null : recording.settings(),
                    voicemail == null ? null : voicemail.settings());
        }
    }
}
