package io.sipai.gateway.tenants.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.sipai.runtime.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which address a request is counted under: X-Forwarded-For only from trusted proxies, IPv6 per /64. */
class TrustedProxiesTest {

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        // given
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8"));
        // when
        String client = proxies.clientOf(request("198.51.100.4", "1.2.3.4"));
        // then
        assertThat(client).isEqualTo("198.51.100.4");
    }

    @Test
    void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
        // given two proxy layers
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.0.2.1"));
        // when the client made up the left-most hop
        String client = proxies.clientOf(request("10.1.2.3", "6.6.6.6, 203.0.113.9, 192.0.2.1"));
        // then
        assertThat(client).isEqualTo("203.0.113.9");
        assertThat(proxies.clientOf(request("10.1.2.3", "not-an-address"))).isEqualTo("10.1.2.3");
    }

    @Test
    void ipv6ClientsCountPerSlash64() {
        // given
        TrustedProxies proxies = TrustedProxies.parse(List.of());
        // when / then
        assertThat(proxies.clientOf(request("2001:db8:1:2:aaaa::1", null)))
                .isEqualTo(proxies.clientOf(request("2001:db8:1:2:bbbb::7", null)))
                .isNotEqualTo(proxies.clientOf(request("2001:db8:1:3::1", null)));
    }

    @Test
    void aBadEntryStopsStartupNamingTheVariable() {
        // when / then
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("proxy.example.com")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("API_TRUSTED_PROXIES");
        assertThatThrownBy(() -> TrustedProxies.parse(List.of("10.0.0.0/33")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("API_TRUSTED_PROXIES");
    }

    private static MockHttpServletRequest request(String peer, String forwardedFor) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/agents");
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        return request;
    }
}
