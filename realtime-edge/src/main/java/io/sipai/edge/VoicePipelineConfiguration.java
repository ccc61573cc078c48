package io.sipai.edge;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.Metrics;
import io.sipai.edge.asr.internal.DeepgramSpeechToText;
import io.sipai.edge.asr.internal.JsgfGrammar;
import io.sipai.edge.asr.internal.SphinxEngine;
import io.sipai.edge.brain.AgentBrain;
import io.sipai.edge.brain.Script;
import io.sipai.edge.brain.internal.OpenAiBrain;
import io.sipai.edge.brain.internal.ScriptedBrain;
import io.sipai.edge.pipeline.ConversationPipeline;
import io.sipai.edge.pipeline.DeepgramSettings;
import io.sipai.edge.pipeline.PipelineParts;
import io.sipai.edge.pipeline.Providers;
import io.sipai.edge.pipeline.VoiceSettings;
import io.sipai.edge.pipeline.internal.CallActor;
import io.sipai.edge.pipeline.warmup.PipelineWarmUp;
import io.sipai.edge.session.EchoPipeline;
import io.sipai.edge.session.VoicePipelineFactory;
import io.sipai.edge.tools.ToolRunner;
import io.sipai.edge.tools.WebhookSigner;
import io.sipai.edge.tts.DeepgramTextToSpeech;
import io.sipai.edge.tts.OfflineVoices;
import io.sipai.runtime.ReadinessCheck;
import io.sipai.runtime.openai.OpenAiSettings;
import io.sipai.runtime.ssrf.SsrfSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the edge's {@link VoicePipelineFactory}: per call, the providers chosen for the agent
 * ({@link Providers}, with the online clients whose keys are configured) assembled into a
 * {@link ConversationPipeline}. Calls without an agent and without an
 * OpenAI-compatible endpoint keep the echo pipeline. Shared resources: the offline engines, one timer pool, one
 * virtual-thread executor for the per-call actors, one HTTP client for the vendors; HTTP tools go through the
 * SSRF guard ({@code WEBHOOK_ALLOWED_HOSTS}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({VoiceSettings.class, DeepgramSettings.class, OpenAiSettings.class, SsrfSettings.class})
public class VoicePipelineConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(VoicePipelineConfiguration.class);

    @Bean(destroyMethod = "close")
    SphinxEngine sphinxEngine(VoiceSettings settings) {
        return new SphinxEngine(settings.sphinxDecoders());
    }

    @Bean(destroyMethod = "close")
    OfflineVoices offlineVoices(VoiceSettings settings) {
        return OfflineVoices.start(settings.offlineTts(), "flite", settings.maryWorkers(), settings.fliteWorkers(),
                settings.warmUp());
    }

    /** With VOICE_WARM_UP the edge is ready once the offline TTS synthesizes, and never if it cannot start. */
    @Bean
    ReadinessCheck offlineTextToSpeech(OfflineVoices voices, VoiceSettings settings) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "offline-tts";
            }

            @Override
            public boolean ready() {
                return !settings.warmUp() || voices.started();
            }
        };
    }

    @Bean(destroyMethod = "close")
    PipelineWarmUp pipelineWarmUp(VoiceSettings settings, ScheduledExecutorService voiceTimers,
                                  ExecutorService voiceActors) {
        return new PipelineWarmUp(settings.warmUpCalls(), voiceTimers, voiceActors, settings).start();
    }

    /** The edge is ready once its pipeline ran the warm-up's synthetic calls (VOICE_WARM_UP_CALLS). */
    @Bean
    ReadinessCheck pipelineWarm(PipelineWarmUp warmUp) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return "pipeline-warm-up";
            }

            @Override
            public boolean ready() {
                return warmUp.warm();
            }
        };
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService voiceTimers() {
        return Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("voice-timer-", 1).factory());
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService voiceActors() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("voice-call-", 1).factory());
    }

    @Bean
    HttpClient voiceHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The brain's HTTP client: Jetty's, because a cancelled reply must close its connection (JDK's keeps it). */
    @Bean(destroyMethod = "stop")
    org.eclipse.jetty.client.HttpClient brainHttpClient() {
        return OpenAiBrain.startClient(Duration.ofSeconds(5));
    }

    @Bean
    Providers voiceProviders(SphinxEngine sphinx, OfflineVoices offlineVoices, DeepgramSettings deepgram,
                             OpenAiSettings openAi, VoiceSettings settings, HttpClient http,
                             org.eclipse.jetty.client.HttpClient brainHttp) {
        OpenAiBrain brain = openAi.configured() ? new OpenAiBrain(brainHttp, openAi.baseUrl(), openAi.apiKey(),
                openAi.model(), Duration.ofMillis(settings.brainTimeoutMs())) : null;
        Duration connect = Duration.ofMillis(deepgram.connectTimeoutMs());
        return new Providers(script -> script == null ? sphinx.dictation()
                : sphinx.forGrammar(JsgfGrammar.of(Script.parse(script))), offlineVoices, new ScriptedBrain(),
                deepgram.configured() ? agent -> new DeepgramSpeechToText(http, deepgram.baseUrl(),
                        deepgram.apiKey(), agent != null && agent.getAsr().getModel() != null
                        ? agent.getAsr().getModel() : deepgram.model(), agent == null ? 700
                        : agent.getEndpointing().getSilenceMs(), connect) : null,
                brain == null ? null : agent -> brain,
                deepgram.configured() ? new DeepgramTextToSpeech(http, deepgram.baseUrl(), deepgram.apiKey(),
                        deepgram.ttsModel(), connect) : null);
    }

    @Bean
    VoicePipelineFactory voicePipelineFactory(Providers providers, VoiceSettings settings, EdgeSettings edge,
                                              ScheduledExecutorService voiceTimers, ExecutorService voiceActors,
                                              SsrfSettings ssrf) {
        ToolRunner tools = new ToolRunner(ssrf.guard(), new WebhookSigner(settings.toolSigningSecret()));
        return (context, output) -> {
            AgentBrain brain = providers.brain(context.agent());
            if (brain == null) {
                LOG.info("call {} has no agent script and no OpenAI endpoint: echo pipeline", context.callId());
                return new EchoPipeline(context, output);
            }
            PipelineParts parts = new PipelineParts(context, providers.speechToText(context.agent()), brain,
                    providers.textToSpeech(context.agent()), tools, voiceTimers, settings, edge.vadStartMs(),
                    edge.vadHangoverMs(), edge.vadPauseMs(), PipelineParts.BACKCHANNEL_MS, Metrics.globalRegistry);
            return new ConversationPipeline(parts, output, new CallActor(voiceActors, voiceTimers));
        };
    }
}
