package io.sipai.edge;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.edge.agents.AgentDirectory;
import io.sipai.edge.auth.TenantKeys;
import io.sipai.edge.connection.DrainController;
import io.sipai.edge.events.CallEventPublisher;
import io.sipai.edge.events.internal.EventJournal;
import io.sipai.edge.recording.RecordingWriter;
import io.sipai.edge.recording.Recordings;
import io.sipai.edge.session.CallSessionFactory;
import io.sipai.edge.session.EchoPipeline;
import io.sipai.edge.session.EdgeMetrics;
import io.sipai.edge.session.VoicePipelineFactory;
import io.sipai.edge.session.internal.CallRegistry;
import io.sipai.edge.session.internal.EdgeTraces;
import io.sipai.edge.session.internal.SessionServices;
import io.sipai.edge.session.internal.SessionStarter;
import io.sipai.edge.session.internal.SlotHeartbeats;
import io.sipai.edge.telephony.TelephonySettings;
import io.sipai.edge.telephony.TelephonyTokens;
import io.sipai.edge.telephony.TransferRequests;
import io.sipai.edge.telephony.internal.AdmissionMediaClaims;
import io.sipai.runtime.InvalidSettingException;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.admission.AdmissionClient;
import io.sipai.runtime.recordings.RecordingStore;
import io.sipai.runtime.recordings.RecordingStoreSettings;
import io.sipai.runtime.tracing.CallTracing;
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

/**
 * Wires the edge's calls: the Kafka clients (event publisher with its journal, admission client, agent directory)
 * once the edge's topics exist, the registry and meters of live calls, the session factory with its pipeline factory (the voice
 * pipeline's, else echo), slot heartbeats, the drain controller, and what every telephony provider shares (per-call
 * tokens, the transfer requests' HTTP client).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({EdgeSettings.class, DrainSettings.class, TelephonySettings.class,
        RecordingStoreSettings.class})
public class EdgeConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeConfiguration.class);
    private static final int USED_TOKEN_CAPACITY = 200_000;
    private static final Duration JOURNAL_REPLAY_WAIT = Duration.ofSeconds(60);

    /** Marker that the edge's topics exist; the Kafka clients depend on it. */
    record EdgeTopics(List<String> names) {
    }

    @Bean
    EdgeTopics edgeTopics(KafkaSettings kafka) {
        List<Topic<?, ?>> topics = List.of(Topics.CALL_EVENTS, Topics.CALL_ADMISSION, Topics.CALL_ADMISSION_DECISIONS,
                Topics.AGENT_CONFIG, Topics.TENANT_API_KEYS);
        try (Admin admin = Admin.create(kafka.clientConfig())) {
            new TopicCreator(admin, kafka.replicationFactor().shortValue(), Duration.ofSeconds(60)).createAll(topics);
        }
        return new EdgeTopics(topics.stream().map(Topic::name).toList());
    }

    /**
     * The event publisher, with the journal when {@code EDGE_JOURNAL_DIR} is set. Events a previous process left in
     * the journal are re-sent here, while the context starts: the web server takes no call before that.
     */
    @Bean(destroyMethod = "close")
    CallEventPublisher callEventPublisher(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings,
                                          MeterRegistry meters) {
        CallEventPublisher publisher = new CallEventPublisher(kafka, "realtime-edge-" + settings.nodeName(),
                settings.eventQueueCapacity(), journal(settings), meters);
        if (!publisher.replayJournal(JOURNAL_REPLAY_WAIT)) {
            LOG.warn("the journal's events were not all acknowledged within {} s; not ready until they are",
                    JOURNAL_REPLAY_WAIT.toSeconds());
        }
        return publisher;
    }

    private static EventJournal journal(EdgeSettings settings) {
        if (settings.journalDir() == null) {
            LOG.info("EDGE_JOURNAL_DIR is not set: call events not yet written when the process dies are lost");
            return null;
        }
        try {
            return EventJournal.open(Path.of(settings.journalDir()), settings.journalMaxMb() * 1024L * 1024L);
        } catch (RuntimeException e) {
            throw new InvalidSettingException("EDGE_JOURNAL_DIR", "cannot open the event journal: " + e.getMessage());
        }
    }

    @Bean(destroyMethod = "close")
    AdmissionClient admissionClient(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings,
                                    MeterRegistry meters, CallTracing tracing) {
        return new AdmissionClient(kafka.clientConfig(), "realtime-edge-" + settings.nodeName(),
                Duration.ofMillis(settings.admissionTimeoutMs()), "EDGE_ADMISSION_TIMEOUT_MS", Clock.systemUTC(),
                meters, tracing);
    }

    @Bean
    AgentDirectory agentDirectory(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings, MeterRegistry meters) {
        return new AgentDirectory(kafka, "realtime-edge-" + settings.nodeName(), meters);
    }

    /** The tenants' API keys api-gateway grants, accepted on {@code /realtime/voice} beside REALTIME_API_KEY. */
    @Bean
    TenantKeys tenantKeys(EdgeTopics topics, KafkaSettings kafka, EdgeSettings settings, MeterRegistry meters) {
        return new TenantKeys(kafka, "realtime-edge-" + settings.nodeName(), meters);
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

    /**
     * Closed after the calls' sessions, so the recordings of calls ended in a drain are written, and before the event
     * publisher (it depends on it), which still sends their RecordingAvailable.
     */
    @Bean(destroyMethod = "close")
    RecordingWriter recordingWriter(CallEventPublisher publisher) {
        return new RecordingWriter(4096);
    }

    @Bean
    Recordings recordings(RecordingStoreSettings settings, RecordingWriter writer, MeterRegistry meters) {
        return new Recordings(RecordingStore.of(settings).orElse(null), writer, meters);
    }

    @Bean
    CallSessionFactory callSessionFactory(EdgeSettings settings, CallEventPublisher publisher,
                                          AdmissionClient admission, CallRegistry registry, EdgeMetrics metrics,
                                          Recordings recordings, CallTracing tracing,
                                          ObjectProvider<VoicePipelineFactory> pipelines) {
        return new SessionStarter(new SessionServices(settings, publisher, admission, registry, metrics,
                recordings, new EdgeTraces(tracing, settings.nodeName())),
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

    /** Per-call tokens, used once in the deployment: claimed through admission ({@link AdmissionMediaClaims}). */
    @Bean
    TelephonyTokens telephonyTokens(TelephonySettings settings, AdmissionClient admission, EdgeSettings edge,
                                    MeterRegistry meters) {
        if (settings.tokenSecret() == null || settings.tokenSecret().isBlank()) {
            LOG.warn("TELEPHONY_TOKEN_SECRET is not set: every telephony media connection will be refused");
        }
        return new TelephonyTokens(settings.tokenSecret(), USED_TOKEN_CAPACITY, new AdmissionMediaClaims(admission,
                Duration.ofMillis(edge.admissionTimeoutMs()), meters), edge.nodeName());
    }

    @Bean
    TransferRequests transferRequests(EdgeSettings settings) {
        Duration timeout = Duration.ofMillis(settings.transferTimeoutMs());
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
        return new TransferRequests(http, timeout);
    }
}
