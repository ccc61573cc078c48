package io.sipai.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which browser Origins may open {@code /realtime/voice}: fail closed unless listed, {@code *} only explicitly. */
class AllowedOriginsTest {

    @Test
    void givenNoSetting_thenOnlyTheEdgesOwnOriginAndClientsWithoutOriginAreAllowed() {
        AllowedOrigins none = new AllowedOrigins(List.of());

        assertThat(none.allows("https://evil.example.com", "edge.example.com")).isFalse();
        assertThat(none.allows("https://edge.example.com", "edge.example.com")).isTrue();
        assertThat(none.allows("http://127.0.0.1:8081", "127.0.0.1:8081")).isTrue();
        assertThat(none.allows("http://127.0.0.1:3000", "127.0.0.1:8081")).isFalse();
        assertThat(none.allows("null", "edge.example.com")).isFalse();
        assertThat(none.allows(null, "edge.example.com")).isTrue();
    }

    @Test
    void givenListedOrigins_thenExactMatchesAndPortWildcardsAreAllowedAndStarAllowsAll() {
        AllowedOrigins listed = new AllowedOrigins(List.of("https://App.example.com/", "http://localhost:*"));

        assertThat(listed.allows("https://app.example.com", "edge.example.com")).isTrue();
        assertThat(listed.allows("https://app.example.com:8443", "edge.example.com")).isFalse();
        assertThat(listed.allows("http://localhost:5173", "127.0.0.1:8081")).isTrue();
        assertThat(listed.allows("http://localhost", "127.0.0.1:8081")).as("default port").isTrue();
        assertThat(listed.allows("https://localhost:5173", "127.0.0.1:8081")).as("other scheme").isFalse();
        assertThat(listed.allows("http://localhost.evil.com:80", "127.0.0.1:8081")).isFalse();
        assertThat(new AllowedOrigins(List.of("*")).allows("https://anyone.example", "edge")).isTrue();
    }
}
