package io.sipai.runtime.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.api.Test;

class HttpLimitsTest {

    @Test
    void givenNothingSet_whenBound_thenTheDefaultsSuitAPublicApi() {
        // when
        HttpLimits limits = HttpLimits.defaults();
        // then
        assertThat(limits.maxHeaderBytes()).isEqualTo(8_192);
        assertThat(limits.maxHeaderCount()).isEqualTo(100);
        assertThat(limits.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(limits.headerTimeoutMs()).isEqualTo(10_000);
        assertThat(limits.idleTimeoutMs()).isEqualTo(60_000);
        assertThat(limits.maxConnections()).isEqualTo(10_000);
    }

    @Test
    void givenAValueOutOfRange_whenBound_thenTheErrorNamesTheVariable() {
        assertThatThrownBy(() -> new HttpLimits(100, null, null, null, null, null))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("HTTP_MAX_HEADER_BYTES");
        assertThatThrownBy(() -> new HttpLimits(null, 5_000, null, null, null, null))
                .hasMessageStartingWith("HTTP_MAX_HEADER_COUNT");
        assertThatThrownBy(() -> new HttpLimits(null, null, 0, null, null, null))
                .hasMessageStartingWith("HTTP_MAX_BODY_BYTES");
        assertThatThrownBy(() -> new HttpLimits(null, null, null, 0, null, null))
                .hasMessageStartingWith("HTTP_HEADER_TIMEOUT_MS");
        assertThatThrownBy(() -> new HttpLimits(null, null, null, null, 0, null))
                .hasMessageStartingWith("HTTP_IDLE_TIMEOUT_SEC");
        assertThatThrownBy(() -> new HttpLimits(null, null, null, null, null, 1))
                .hasMessageStartingWith("HTTP_MAX_CONNECTIONS");
    }
}
