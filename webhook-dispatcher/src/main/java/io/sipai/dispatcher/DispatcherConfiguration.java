package io.sipai.dispatcher;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.sipai.dispatcher.delivery.DeliveryWorker;
import io.sipai.dispatcher.delivery.internal.HttpPoster;
import io.sipai.dispatcher.fanout.WebhookPayloads;
import io.sipai.dispatcher.replay.ReplayService;
import io.sipai.dispatcher.replay.internal.EventScanner;
import io.sipai.dispatcher.retry.RetryPolicy;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfSettings;
import io.sipai.runtime.KafkaSettings;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookAttempt;
import io.sipai.webhook.WebhookDelivery;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the dispatcher: SSRF guard, HTTP poster, retry policy, worker, Kafka Streams app and replay reader. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DispatcherSettings.class, SsrfSettings.class})
public class DispatcherConfiguration {

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
    WebhookPayloads webhookPayloads(DispatcherSettings settings) {
        return new WebhookPayloads(settings.apiBaseUrl());
    }

    @Bean(destroyMethod = "close")
    DeliveryWorker deliveryWorker(DispatcherSettings settings, SsrfGuard guard, Clock clock, KafkaSettings kafka) {
        Producer<String, WebhookAttempt> attempts = new KafkaProducer<>(producerConfig(kafka, "attempts"),
                Topics.WEBHOOK_ATTEMPTS.keySerde().serializer(), Topics.WEBHOOK_ATTEMPTS.valueSerde().serializer());
        return new DeliveryWorker(guard, new HttpPoster(settings.connectTimeout(), settings.requestTimeout(),
                settings.maxConcurrencyPerEndpoint()),
                new RetryPolicy(RandomGenerator.getDefault()), clock, attempts,
                settings.maxConcurrencyPerEndpoint());
    }

    @Bean
    DispatcherStreams dispatcherStreams(KafkaSettings kafka, DispatcherSettings settings, DeliveryWorker worker,
                                        WebhookPayloads payloads, Clock clock) {
        return new DispatcherStreams(kafka, settings, worker, payloads, clock);
    }

    @Bean
    ReplayService replayService(KafkaSettings kafka, DispatcherSettings settings, WebhookPayloads payloads,
                                DispatcherStreams streams) {
        Map<String, Object> commandConfig = new HashMap<>(kafka.clientConfig());
        commandConfig.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, settings.applicationId() + DispatcherNames.REPLAY_GROUP_SUFFIX,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        Map<String, Object> scanConfig = new HashMap<>(kafka.clientConfig());
        scanConfig.putAll(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        EventScanner scanner = new EventScanner(() -> new KafkaConsumer<>(scanConfig,
                Topics.CALL_EVENTS.keySerde().deserializer(), Topics.CALL_EVENTS.valueSerde().deserializer()));
        Producer<String, WebhookDelivery> outbox = new KafkaProducer<>(producerConfig(kafka, "replay"),
                Topics.WEBHOOK_OUTBOX.keySerde().serializer(), Topics.WEBHOOK_OUTBOX.valueSerde().serializer());
        return new ReplayService(new KafkaConsumer<>(commandConfig, Topics.WEBHOOK_REPLAY.keySerde().deserializer(),
                Topics.WEBHOOK_REPLAY.valueSerde().deserializer()), scanner, outbox, payloads,
                streams::subscription);
    }

    /** Producer configs for the dispatcher's own (non-Streams) producers. */
    public static Map<String, Object> producerConfig(KafkaSettings kafka, String purpose) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig());
        config.putAll(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "webhook-dispatcher-" + purpose,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1));
        return config;
    }
}
