package io.sipai.edge;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;

import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.auth.AllowedOrigins;
import io.sipai.edge.auth.ApiKeys;
import io.sipai.edge.auth.AuthSettings;
import io.sipai.edge.auth.SignedUrls;
import io.sipai.edge.auth.TenantKeys;
import io.sipai.edge.connection.CheckedUpgrade;
import io.sipai.edge.connection.ConnectionServices;
import io.sipai.edge.connection.DrainController;
import io.sipai.edge.connection.EdgeSocketHandler;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.edge.telephony.TelephonyProvider;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.voice.internal.VoiceConnection;
import io.sipai.edge.voice.internal.VoiceHandshake;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.web.HttpLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the edge's WebSocket endpoints: sipai's own protocol on {@code /realtime/voice} and
 * {@code /v1/realtime/voice} ({@link VoiceHandshake}), and one endpoint per {@link TelephonyProvider} bean on the
 * provider's paths, each behind the drain check and its upgrade check; and the container limits: small
 * per-connection buffers (messages are assembled up to {@code EDGE_MAX_FRAME_BYTES}), the WebSocket idle timeout
 * ({@link WebSocketLimits}) and the shared HTTP limits on Jetty ({@link JettyHttpLimits}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties({AuthSettings.class, WebSocketLimits.class})
public class EdgeEndpoints {

    /** Paths of the own protocol. */
    static final String[] VOICE_PATHS = {"/realtime/voice", "/v1/realtime/voice"};

    private static final Logger LOG = LoggerFactory.getLogger(EdgeEndpoints.class);

    @Bean
    ConnectionServices connectionServices(CallSessionFactory sessions, EdgeSettings settings, EdgeMetrics metrics,
                                          DrainController drain, AgentDirectory agents, AdmissionClient admission) {
        return new ConnectionServices(sessions, settings, metrics, JsonMapper.builder().build(), drain, agents,
                admission);
    }

    @Bean
    JettyHttpLimits jettyHttpLimits(HttpLimits limits) {
        return new JettyHttpLimits(limits);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer(EdgeSettings settings, WebSocketLimits limits) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(settings.socketBufferBytes());
        container.setMaxBinaryMessageBufferSize(settings.socketBufferBytes());
        container.setAsyncSendTimeout(settings.sendTimeoutMs());
        // A call's own timers end a silent call (silence prompt, hang-up, maximum duration) and a dead socket is found
        // by the send timeout and the slot's TTL; the idle timeout (nothing moved either way), far above those, ends
        // connections that never started a call or went dead without a close.
        container.setMaxSessionIdleTimeout(limits.idleTimeoutSec() * 1_000L);
        return container;
    }

    @Bean
    WebSocketConfigurer webSocketEndpoints(ConnectionServices services, AuthSettings auth, DrainController drain,
                                      List<TelephonyProvider> providers, TelephonyTokens tokens,
                                      TenantKeys tenantKeys) {
        VoiceHandshake voice = voiceHandshake(auth, tokens, tenantKeys);
        // Every endpoint upgrades through the Jakarta WebSocket API (StandardWebSocketUpgradeStrategy), also on
        // Jetty: connections write through jakarta.websocket's async remote (OutboundChannel).
        return (WebSocketHandlerRegistry registry) -> {
            registry.addHandler(new EdgeSocketHandler(services, ws -> new VoiceConnection(ws, services)), VOICE_PATHS)
                    .setHandshakeHandler(handshakeHandler(voice::subprotocol))
                    .addInterceptors(new CheckedUpgrade(drain, "this edge node is draining", voice))
                    .setAllowedOriginPatterns("*");
            for (TelephonyProvider provider : providers) {
                registry.addHandler(new EdgeSocketHandler(services, ws -> provider.open(ws, services)),
                                provider.paths().toArray(String[]::new))
                        .setHandshakeHandler(handshakeHandler(provider::subprotocol))
                        .addInterceptors(new CheckedUpgrade(drain, "draining", provider.upgradeCheck()))
                        .setAllowedOriginPatterns("*");
            }
        };
    }

    private static VoiceHandshake voiceHandshake(AuthSettings auth, TelephonyTokens tokens, TenantKeys tenantKeys) {
        ApiKeys keys = new ApiKeys(auth.apiKey(), tenantKeys);
        SignedUrls signedUrls = new SignedUrls(auth.wsSecret());
        return new VoiceHandshake(keys, signedUrls, tokens, new AllowedOrigins(auth.origins()), Clock.systemUTC());
    }

    /** A handshake handler that answers the subprotocol {@code choice} picks from those the client offered. */
    private static DefaultHandshakeHandler handshakeHandler(Function<List<String>, String> choice) {
        return new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()) {
            @Override
            protected String selectProtocol(List<String> requested, WebSocketHandler handler) {
                return choice.apply(requested);
            }
        };
    }
}
