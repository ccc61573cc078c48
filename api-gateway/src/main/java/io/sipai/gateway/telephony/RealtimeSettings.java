package io.sipai.gateway.telephony;

import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where realtime-edge takes media WebSockets.
 *
 * @param wsUrl {@code REALTIME_WS_URL}: ws(s) base URL of realtime-edge (default: the one-machine edge)
 */
@ConfigurationProperties("realtime")
public record RealtimeSettings(String wsUrl) {

    /** The edge of the one-machine run (bin/sipai up). */
    static final String LOCAL_EDGE = "ws://127.0.0.1:8081"; // dev-url-guard: allow

    public RealtimeSettings {
        wsUrl = SettingUrl.check("REALTIME_WS_URL", wsUrl == null || wsUrl.isBlank() ? LOCAL_EDGE : wsUrl,
                Set.of("ws", "wss"));
    }
}
