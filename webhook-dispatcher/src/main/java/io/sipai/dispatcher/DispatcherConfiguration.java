package io.sipai.dispatcher;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.dispatcher.delivery.internal.DeliveryWorker;
import io.sipai.dispatcher.delivery.internal.HttpPoster;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.instances.DispatcherInstances;
import io.sipai.dispatcher.instances.internal.ConsumerGroupMembers;
import io.sipai.dispatcher.replay.internal.EventScanner;
import io.sipai.dispatcher.replay.internal.ReplayService;
import io.sipai.dispatcher.retry.RetryPolicy;
import io.sipai.dispatcher.signing.SigningKeys;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.KafkaClients;
import io.sipai.runtime.secrets.KeyProvider;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfSettings;
import io.sipai.runtime.tracing.CallTracing;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the dispatcher: SSRF guard, HTTP poster, retry policy, signing keys (the master keys of
 * {@code SIPAI_SECRETS_KEYS}; a KMS-backed {@link KeyProvider} bean replaces the local one), worker (with this
 * instance's share of the per-endpoint cap from the instance count), Kafka Streams app and replay reader.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DispatcherSettings.class, SsrfSettings.class, SecretsSettings.class})
public class DispatcherConfiguration {

    /** Suffix of the replay command reader's consumer group, after the application id. */
    static final String REPLAY_GROUP_SUFFIX = "-replay";

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SsrfGuard ssrfGuard(SsrfSettings settings) {
        return settings.guard();
    }

    @Bean
    @ConditionalOnMissingBean
    KeyProvider secretsKeyProvider(SecretsSettings settings) {
        return settings.keyProvider();
    }

    @Bean
    SigningKeys signingKeys(KeyProvider keys, MeterRegistry meters) {
        return new SigningKeys(new SecretBox(keys), meters);
    }

    @Bean
    WebhookPayloads webhookPayloads(DispatcherSettings settings) {
        return new WebhookPayloads(settings.apiBaseUrl());
    }

    /**
     * Counts the live instances (members of the Streams application's consumer group, whose id is the application
     * id) for this instance's share of the per-endpoint cap. It watches the Streams app once that exists (the app
     * needs the worker, which needs the share).
     */
    @Bean(destroyMethod = "close")
    DispatcherInstances dispatcherInstances(KafkaSettings kafka, DispatcherSettings settings, MeterRegistry meters) {
        DispatcherInstances instances = new DispatcherInstances(
                ConsumerGroupMembers.of(kafka, settings.applicationId()), settings.maxConcurrencyPerEndpoint(),
                settings.instancesRefresh(), settings.instancesCountValidity(), settings.startupHold(),
                settings.shareRaiseDelay(), System::nanoTime);
        Gauge.builder("sipai.webhook.instances", instances, live -> live.membership().count())
                .description("live webhook-dispatcher instances, as this one last counted").register(meters);
        Gauge.builder("sipai.webhook.endpoint.share", instances, DispatcherInstances::getAsInt)
                .description("requests per endpoint this instance may have open").register(meters);
        return instances.start();
    }

    @Bean(destroyMethod = "close")
    DeliveryWorker deliveryWorker(DispatcherSettings settings, SsrfGuard guard, Clock clock, KafkaSettings kafka,
                                  DispatcherInstances instances, SigningKeys keys, MeterRegistry meters,
                                  CallTracing tracing) {
        Producer<String, WebhookAttempt> attempts = new KafkaProducer<>(producerConfig(kafka, "attempts"),
                Topics.WEBHOOK_ATTEMPTS.keySerde().serializer(), Topics.WEBHOOK_ATTEMPTS.valueSerde().serializer());
        return new DeliveryWorker(guard, new HttpPoster(settings.connectTimeout(), settings.requestTimeout(),
                settings.maxConcurrencyPerEndpoint()),
                new RetryPolicy(RandomGenerator.getDefault()), clock, attempts, instances, keys, meters, tracing);
    }

    @Bean
    DispatcherStreams dispatcherStreams(KafkaSettings kafka, DispatcherSettings settings, DeliveryWorker worker,
                                        WebhookPayloads payloads, Clock clock, DispatcherInstances instances) {
        DispatcherStreams streams = new DispatcherStreams(kafka, settings, worker, payloads, clock);
        instances.watch(streams::local);
        return streams;
    }

    @Bean
    ReplayService replayService(KafkaSettings kafka, WebhookPayloads payloads, DispatcherStreams streams) {
        Map<String, Object> scanConfig = KafkaClients.consumer(kafka, "webhook-dispatcher-replay-scan", Map.of());
        EventScanner scanner = new EventScanner(() -> new KafkaConsumer<>(scanConfig,
                Topics.CALL_TIMELINE_ENTRIES.keySerde().deserializer(),
                Topics.CALL_TIMELINE_ENTRIES.valueSerde().deserializer()));
        Producer<String, WebhookDelivery> outbox = new KafkaProducer<>(producerConfig(kafka, "replay"),
                Topics.WEBHOOK_OUTBOX.keySerde().serializer(), Topics.WEBHOOK_OUTBOX.valueSerde().serializer());
        return new ReplayService(scanner, outbox, payloads, streams::subscription);
    }

    /** Reads webhook.replay.v1 for the {@link ReplayService}, in the group shared by the service's instances. */
    @Bean
    ConsumerLoop replayCommands(KafkaSettings kafka, DispatcherSettings settings, ReplayService replay,
                                MeterRegistry meters) {
        return ConsumerLoop.grouped("webhook-replay", settings.applicationId() + REPLAY_GROUP_SUFFIX,
                        List.of(Topics.WEBHOOK_REPLAY.name()))
                .kafka(kafka).clientId("webhook-dispatcher-replay-commands").handler(replay).meters(meters).build();
    }

    /** Producer configs for the dispatcher's own (non-Streams) producers: idempotent, acks=all. */
    public static Map<String, Object> producerConfig(KafkaSettings kafka, String purpose) {
        return KafkaClients.producer(kafka, "webhook-dispatcher-" + purpose,
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 1));
    }
}
