package io.sipai.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.webhooks.internal.DispatcherDisables;
import io.sipai.runtime.KafkaSettings;
import io.sipai.runtime.kafka.ConsumerLoop;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The loop that brings webhook-dispatcher's disables into the webhooks table: a grouped consumer loop over
 * {@code webhook.subscriptions.v1} handled by {@link DispatcherDisables}, a readiness and liveness check of the
 * service like the projector.
 */
@Configuration(proxyBeanMethods = false)
public class WebhooksConfiguration {

    @Bean
    ConsumerLoop webhookDisablesLoop(KafkaSettings kafka, DispatcherDisables handler, MeterRegistry meters) {
        return ConsumerLoop.grouped(DispatcherDisables.LOOP, DispatcherDisables.GROUP_ID, DispatcherDisables.TOPICS)
                .kafka(kafka).clientId("api-gateway-webhook-disables").handler(handler).meters(meters).build();
    }
}
