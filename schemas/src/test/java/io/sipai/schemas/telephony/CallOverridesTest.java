package io.sipai.schemas.telephony;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.sipai.config.AgentConfig;
import io.sipai.config.BargeInSettings;
import io.sipai.config.EndpointingSettings;
import io.sipai.config.ProviderSettings;
import io.sipai.config.RecordingChannels;
import io.sipai.config.RecordingFormat;
import io.sipai.config.RecordingSettings;
import io.sipai.config.VoicemailAction;
import io.sipai.config.VoicemailSettings;
import org.junit.jupiter.api.Test;

/** The media connection parameters that carry a campaign's or a call's overrides, both ways. */
class CallOverridesTest {

    private static final RecordingSettings DUAL = new RecordingSettings(true, RecordingChannels.DUAL,
            RecordingFormat.WAV);

    @Test
    void overridesBecomeParametersAndBackIntoTheAgentsConfiguration() {
        // given an agent that records dual and does not detect machines
        AgentConfig agent = agent(DUAL, null);

        // when a campaign turns recording off and detects machines to leave a message
        Map<String, String> parameters = CallOverrides.parameters(new RecordingSettings(false,
                RecordingChannels.DUAL, RecordingFormat.WAV), new VoicemailSettings(true,
                VoicemailAction.LEAVE_MESSAGE, "Call us back."));
        AgentConfig overridden = CallOverrides.apply(agent, parameters);

        // then
        assertThat(parameters).containsExactly(Map.entry("recording", "off"),
                Map.entry("voicemail", "leave_message"), Map.entry("voicemailMessage", "Call us back."));
        assertThat(overridden.getRecording().getEnabled()).isFalse();
        assertThat(overridden.getVoicemail()).isEqualTo(new VoicemailSettings(true, VoicemailAction.LEAVE_MESSAGE,
                "Call us back."));
        assertThat(overridden.getName()).isEqualTo(agent.getName());
    }

    @Test
    void noOverridesOrUnknownValuesLeaveTheAgentAsItIs() {
        AgentConfig agent = agent(DUAL, new VoicemailSettings(true, VoicemailAction.HANGUP, null));
        assertThat(CallOverrides.apply(agent, Map.of())).isSameAs(agent);
        assertThat(CallOverrides.apply(agent, Map.of("recording", "stereo", "voicemail", "maybe"))).isSameAs(agent);
        // a message cannot be left without one
        assertThat(CallOverrides.apply(agent, Map.of("voicemail", "leave_message"))).isSameAs(agent);
        assertThat(CallOverrides.apply(null, Map.of("recording", "dual"))).isNull();
        assertThat(CallOverrides.parameters(null, null)).isEmpty();
    }

    @Test
    void aCallMayTurnOnWhatItsAgentLeavesOff() {
        AgentConfig overridden = CallOverrides.apply(agent(null, null), Map.of("recording", "mixed", "voicemail",
                "hangup"));
        assertThat(overridden.getRecording()).isEqualTo(new RecordingSettings(true, RecordingChannels.MIXED,
                RecordingFormat.WAV));
        assertThat(overridden.getVoicemail().getDetect()).isTrue();
        assertThat(overridden.getVoicemail().getAction()).isEqualTo(VoicemailAction.HANGUP);
    }

    private static AgentConfig agent(RecordingSettings recording, VoicemailSettings voicemail) {
        ProviderSettings offline = ProviderSettings.newBuilder().setProvider("offline").build();
        return AgentConfig.newBuilder().setAgentId("agt_1").setTenantId("acme").setVersion(1)
                .setUpdatedAt(Instant.now()).setName("Dialer").setAsr(offline).setLlm(offline).setTts(offline)
                .setBargeIn(BargeInSettings.newBuilder().build())
                .setEndpointing(EndpointingSettings.newBuilder().build()).setRecording(recording)
                .setVoicemail(voicemail).build();
    }
}
