package io.sipai.runtime.ssrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.api.Test;

/** WEBHOOK_ALLOWED_HOSTS: parsed without Spring, bad entries named at startup, and the guard built from it. */
class SsrfSettingsTest {

    @Test
    void aCommaSeparatedValueBecomesTrimmedEntriesAndBlankMeansNone() {
        assertThat(SsrfSettings.fromCommaSeparated(" 127.0.0.1:8999, localhost ,[::1]:80,").allowedHosts())
                .containsExactly("127.0.0.1:8999", "localhost", "[::1]:80");
        assertThat(SsrfSettings.fromCommaSeparated(null).allowedHosts()).isEmpty();
        assertThat(SsrfSettings.fromCommaSeparated("  ").allowedHosts()).isEmpty();
    }

    @Test
    void anEntryThatIsNotAHostIsRejectedNamingTheVariable() {
        assertThatThrownBy(() -> new SsrfSettings(List.of("http://127.0.0.1/")))
                .isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).variable())
                        .isEqualTo("WEBHOOK_ALLOWED_HOSTS"));
    }

    @Test
    void theGuardLetsOnlyTheListedLoopbackPortThrough() throws Exception {
        SsrfGuard guard = SsrfSettings.fromCommaSeparated("127.0.0.1:8999").guard();

        guard.check("http://127.0.0.1:8999/hook");
        assertThatThrownBy(() -> guard.check("http://127.0.0.1:8998/hook")).isInstanceOf(SsrfRefusedException.class);
    }
}
