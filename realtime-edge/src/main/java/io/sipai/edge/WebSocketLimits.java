package io.sipai.edge;

import io.sipai.runtime.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * WebSocket limits of the edge's container besides the message size ({@code EDGE_MAX_FRAME_BYTES}, enforced while
 * messages are assembled: close 1009).
 *
 * @param idleTimeoutSec {@code EDGE_WS_IDLE_TIMEOUT_SEC}: a WebSocket on which nothing moved either way for this
 *                       long is closed (default 300). A live call always moves audio, so this only ends dead or
 *                       hostile connections, e.g. one that upgraded and never sent {@code start}
 */
@ConfigurationProperties("edge.ws")
public record WebSocketLimits(Integer idleTimeoutSec) {

    public WebSocketLimits {
        idleTimeoutSec = idleTimeoutSec == null ? 300 : idleTimeoutSec;
        if (idleTimeoutSec < 5 || idleTimeoutSec > 86_400) {
            throw new InvalidSettingException("EDGE_WS_IDLE_TIMEOUT_SEC", "must be between 5 and 86400, was "
                    + idleTimeoutSec);
        }
    }
}
