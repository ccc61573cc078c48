package io.sipai.gateway.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipai.gateway.telephony.jambonz.JambonzSettings;
import io.sipai.gateway.telephony.twilio.TwilioSettings;
import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every URL setting of the telephony integration must be absolute with a host; a bad one stops the gateway with
 * an {@link InvalidSettingException} naming the variable, never a bare IllegalArgumentException or a URL that
 * fails on the first call.
 */
class TelephonySettingsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://under_score.example", "http://127.1", "https:relative", "http://bad host",
            "ftp://example.com"})
    void givenAProviderUrlWithoutAUsableHost_whenTheSettingsAreBound_thenTheVariableIsNamed(String url) {
        assertThatThrownBy(() -> new TwilioSettings("AC", "t", url)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("TWILIO_API_BASE_URL");
        assertThatThrownBy(() -> new JambonzSettings(null, url, "t", "a")).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("JAMBONZ_OUTCALL_URL");
        assertThatThrownBy(() -> new TelephonySettings(url, null, null, null, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("TELEPHONY_WEBHOOK_BASE_URL");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ws://under_score:8081", "ws:relative", "wss://bad host", "http://edge.example.com"})
    void givenARealtimeUrlWithoutAUsableHost_whenTheSettingsAreBound_thenTheVariableIsNamed(String url) {
        assertThatThrownBy(() -> new RealtimeSettings(url)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("REALTIME_WS_URL");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://api.twilio.com", "http://127.0.0.1:8089/", "https://[::1]:9443"})
    void givenAnAbsoluteUrl_whenTheSettingsAreBound_thenItIsKeptWithoutTrailingSlash(String url) {
        assertThat(new TwilioSettings("AC", "t", url).apiBaseUrl()).isEqualTo(url.replaceAll("/+$", ""));
    }
}
