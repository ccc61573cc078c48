package io.sipai.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.webhooks.internal.DispatcherDisables;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.secrets.KeyProvider;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.secrets.SecretsSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The loop that brings webhook-dispatcher's disables into the webhooks table: a grouped consumer loop over
 * {@code webhook.subscriptions.v1} handled by {@link DispatcherDisables}, a readiness and liveness check of the
 * service like the projector; and the {@link SecretBox} that seals the subscriptions' signing secrets, with the
 * master keys of {@code SIPAI_SECRETS_KEYS} (a KMS-backed {@link KeyProvider} bean replaces the local one).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecretsSettings.class)
public class WebhooksConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KeyProvider secretsKeyProvider(SecretsSettings settings) {
        return settings.keyProvider();
    }

    @Bean
    SecretBox secretBox(KeyProvider keys) {
        return new SecretBox(keys);
    }

    @Bean
    ConsumerLoop webhookDisablesLoop(KafkaSettings kafka, DispatcherDisables handler, MeterRegistry meters) {
        return ConsumerLoop.grouped(DispatcherDisables.LOOP, DispatcherDisables.GROUP_ID, DispatcherDisables.TOPICS)
                .kafka(kafka).clientId("api-gateway-webhook-disables").handler(handler).meters(meters).build();
    }
}
