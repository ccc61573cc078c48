package io.sipai.edge.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.edge.DrainSettings;
import io.sipai.edge.EdgeSettings;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.auth.ApiKeys;
import io.sipai.edge.auth.AuthSettings;
import io.sipai.edge.auth.SignedUrls;
import io.sipai.edge.auth.TelephonySettings;
import io.sipai.edge.auth.TelephonyTokens;
import io.sipai.edge.auth.TwilioSettings;
import io.sipai.edge.auth.TwilioSignature;
import io.sipai.edge.auth.internal.TelephonyHandshake;
import io.sipai.edge.auth.internal.VoiceHandshake;
import io.sipai.edge.events.CallEventPublisher;
import io.sipai.edge.jambonz.JambonzListenHandler;
import io.sipai.edge.session.CallRegistry;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.EchoPipeline;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.edge.session.VoicePipelineFactory;
import io.sipai.edge.transfer.CallTransfers;
import io.sipai.edge.twilio.TwilioMediaStreamHandler;
import io.sipai.edge.voice.VoiceProtocolHandler;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.schemas.Topic;
import io.sipai.schemas.TopicCreator;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the edge: Kafka clients (event publisher, admission client, agent directory), the session factory, the
 * drain controller, the three WebSocket endpoints with their handshake checks, and the container limits (small
 * per-connection buffers; messages are assembled up to {@code EDGE_MAX_FRAME_BYTES}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableConfigurationProperties({EdgeSettings.class, DrainSettings.class, AuthSettings.class,
        TelephonySettings.class, TwilioSettings.class})
public class EdgeConfiguration {

    /** Paths of the own protocol. */
    public static final String[] VOICE_PATHS = {"/realtime/voice", "/v1/realtime/voice"};
    public static final String TWILIO_PATH = "/telephony/twilio/stream";
    public static final String JAMBONZ_PATH = "/telephony/jambonz/listen";

    private static final Logger LOG = LoggerFactory.getLogger(EdgeConfiguration.class);
    private static final int USED_TOKEN_CAPACITY = 200_000;

    /** Marker that the edge's topics exist; the Kafka clients depend on it. */
    record EdgeTopics(List<String> names) {
    }

    @Bean
    EdgeTopics edgeTopics(KafkaSettings kafka) {
        List<Topic<?, ?>> topics = List.of(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.CALL_ADMISSION_DECISIONS,
                Topics.AGENT_CONFIG);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            new TopicCreator(admin, kafka.replicationFactor().shortValue(), Duration.ofSeconds(60)).createAll(topics);
        }
        return new EdgeTopics(topics.stream().map(Topic::name).toList());
    }

    @Bean(destroyMethod = "close")
    CallEventPublisher callEventPublisher(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings,
                                          MeterRegistry meters) {
        return new CallEventPublisher(kafka, "realtime-edge-" + settings.nodeName(), settings.eventQueueCapacity(),
                meters);
    }

    @Bean(destroyMethod = "close")
    AdmissionClient admissionClient(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings) {
        return new AdmissionClient(kafka.clientConfig(), "realtime-edge-" + settings.nodeName(),
                Duration.ofMillis(settings.admissionTimeoutMs()), "EDGE_ADMISSION_TIMEOUT_MS", Clock.systemUTC());
    }

    @Bean
    AgentDirectory agentDirectory(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings, MeterRegistry meters) {
        return new AgentDirectory(kafka, "realtime-edge-" + settings.nodeName(), meters);
    }

    @Bean
    CallRegistry callRegistry() {
        return new CallRegistry();
    }

    @Bean
    EdgeMetrics edgeMetrics(MeterRegistry meters, CallRegistry registry) {
        meters.gauge("edge.calls.live", registry, CallRegistry::size);
        return new EdgeMetrics(meters);
    }

    @Bean
    CallSessionFactory callSessionFactory(EdgeSettings settings, CallEventPublisher publisher,
                                          AdmissionClient admission, CallRegistry registry, EdgeMetrics metrics,
                                          ObjectProvider<VoicePipelineFactory> pipelines) {
        return new CallSessionFactory(settings, publisher, admission, registry, metrics,
                pipelines.getIfAvailable(() -> EchoPipeline.FACTORY));
    }

    @Bean
    DrainController drainController(DrainSettings settings, CallEventPublisher publisher) {
        return new DrainController(settings, publisher);
    }

    @Bean
    SlotHeartbeats slotHeartbeats(CallRegistry registry, AdmissionClient admission, EdgeSettings settings) {
        return new SlotHeartbeats(registry, admission, Duration.ofSeconds(settings.heartbeatIntervalSec()));
    }

    @Bean
    TelephonyTokens telephonyTokens(TelephonySettings settings) {
        if (settings.tokenSecret() == null || settings.tokenSecret().isBlank()) {
            LOG.warn("TELEPHONY_TOKEN_SECRET is not set: every Twilio and jambonz media connection will be refused");
        }
        return new TelephonyTokens(settings.tokenSecret(), USED_TOKEN_CAPACITY);
    }

    @Bean
    EdgeServices edgeServices(CallSessionFactory sessions, EdgeSettings settings, EdgeMetrics metrics,
                              DrainController drain, AgentDirectory agents, AdmissionClient admission,
                              TelephonyTokens tokens, CallTransfers transfers) {
        return new EdgeServices(sessions, settings, metrics, JsonMapper.builder().build(), drain, agents, admission,
                tokens, transfers);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer(EdgeSettings settings) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(settings.socketBufferBytes());
        container.setMaxBinaryMessageBufferSize(settings.socketBufferBytes());
        container.setAsyncSendTimeout(settings.sendTimeoutMs());
        // No idle timeout (Jetty's default is 30 s): a call's own timers end a silent call (silence prompt, hang-up,
        // maximum duration), and a dead socket is found by the send timeout and the slot's TTL.
        container.setMaxSessionIdleTimeout(0L);
        return container;
    }

    @Bean
    WebSocketConfigurer edgeEndpoints(EdgeServices services, AuthSettings auth, TwilioSettings twilio,
                                      TelephonyTokens tokens, DrainController drain) {
        ApiKeys keys = new ApiKeys(auth.apiKey());
        SignedUrls signedUrls = new SignedUrls(auth.wsSecret());
        if (!keys.configured() && !signedUrls.configured()) {
            LOG.warn("neither REALTIME_API_KEY nor REALTIME_WS_SECRET is set: /realtime/voice refuses every client");
        }
        Clock clock = Clock.systemUTC();
        VoiceHandshake voice = new VoiceHandshake(keys, signedUrls, auth.origins(), drain, clock);
        TelephonyHandshake telephony = new TelephonyHandshake(tokens, new TwilioSignature(twilio.authToken()),
                auth.wsUrl(), drain, clock);
        // Every endpoint upgrades through the Jakarta WebSocket API (StandardWebSocketUpgradeStrategy), also on
        // Jetty: connections write through jakarta.websocket's async remote (OutboundChannel).
        return (WebSocketHandlerRegistry registry) -> {
            registry.addHandler(new VoiceProtocolHandler(services), VOICE_PATHS)
                    .setHandshakeHandler(voice.handshakeHandler()).addInterceptors(voice)
                    .setAllowedOriginPatterns("*");
            registry.addHandler(new TwilioMediaStreamHandler(services), TWILIO_PATH)
                    .setHandshakeHandler(new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()))
                    .addInterceptors(telephony.twilio()).setAllowedOriginPatterns("*");
            registry.addHandler(new JambonzListenHandler(services), JAMBONZ_PATH)
                    .setHandshakeHandler(TelephonyHandshake.anySubprotocol()).addInterceptors(telephony.jambonz())
                    .setAllowedOriginPatterns("*");
        };
    }
}
