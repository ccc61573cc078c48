package io.sipai.schemas.telephony;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.sipai.config.AgentConfig;
import io.sipai.config.RecordingChannels;
import io.sipai.config.RecordingFormat;
import io.sipai.config.RecordingSettings;
import io.sipai.config.VoicemailAction;
import io.sipai.config.VoicemailSettings;

/**
 * A campaign's or one call's overrides of its agent's recording and answering machine detection, as api-gateway
 * passes them to realtime-edge beside the per-call token: extra media connection parameters (Twilio
 * {@code <Parameter>}s, the jambonz {@code listen} query), absent when not overridden. Specified in
 * docs/realtime-protocol.md section 2.
 * <ul>
 * <li>{@value #PARAM_RECORDING}: {@code off}, {@code dual} or {@code mixed}</li>
 * <li>{@value #PARAM_VOICEMAIL}: {@code off}, {@code hangup} or {@code leave_message}, with the message in
 * {@value #PARAM_VOICEMAIL_MESSAGE}</li>
 * </ul>
 * A value the edge does not know leaves the agent's setting as it is.
 */
public final class CallOverrides {

    public static final String PARAM_RECORDING = "recording";
    public static final String PARAM_VOICEMAIL = "voicemail";
    public static final String PARAM_VOICEMAIL_MESSAGE = "voicemailMessage";

    private CallOverrides() {
    }

    /** The parameters of overrides; a null part is not overridden. */
    public static Map<String, String> parameters(RecordingSettings recording, VoicemailSettings voicemail) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (recording != null) {
            parameters.put(PARAM_RECORDING, recording.getEnabled()
                    ? recording.getChannels().name().toLowerCase(Locale.ROOT) : "off");
        }
        if (voicemail != null) {
            parameters.put(PARAM_VOICEMAIL, voicemail.getDetect()
                    ? voicemail.getAction().name().toLowerCase(Locale.ROOT) : "off");
            if (voicemail.getDetect() && voicemail.getMessage() != null) {
                parameters.put(PARAM_VOICEMAIL_MESSAGE, voicemail.getMessage());
            }
        }
        return parameters;
    }

    /** The agent's configuration with the overrides the parameters carry; null stays null (no agent). */
    public static AgentConfig apply(AgentConfig agent, Map<String, String> parameters) {
        if (agent == null) {
            return null;
        }
        RecordingSettings recording = recording(parameters.get(PARAM_RECORDING), agent.getRecording());
        VoicemailSettings voicemail = voicemail(parameters.get(PARAM_VOICEMAIL),
                parameters.get(PARAM_VOICEMAIL_MESSAGE), agent.getVoicemail());
        if (recording == agent.getRecording() && voicemail == agent.getVoicemail()) {
            return agent;
        }
        return AgentConfig.newBuilder(agent).setRecording(recording).setVoicemail(voicemail).build();
    }

    private static RecordingSettings recording(String value, RecordingSettings agents) {
        if (value == null) {
            return agents;
        }
        return switch (value) {
            case "off" -> new RecordingSettings(false, RecordingChannels.DUAL, RecordingFormat.WAV);
            case "dual" -> new RecordingSettings(true, RecordingChannels.DUAL, RecordingFormat.WAV);
            case "mixed" -> new RecordingSettings(true, RecordingChannels.MIXED, RecordingFormat.WAV);
            default -> agents;
        };
    }

    private static VoicemailSettings voicemail(String value, String message, VoicemailSettings agents) {
        if (value == null) {
            return agents;
        }
        return switch (value) {
            case "off" -> new VoicemailSettings(false, VoicemailAction.HANGUP, null);
            case "hangup" -> new VoicemailSettings(true, VoicemailAction.HANGUP, message);
            case "leave_message" -> message == null || message.isBlank() ? agents
                    : new VoicemailSettings(true, VoicemailAction.LEAVE_MESSAGE, message);
            default -> agents;
        };
    }
}
