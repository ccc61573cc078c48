package io.sipai.dispatcher.delivery;

import io.sipai.config.WebhookSubscription;
import io.sipai.webhook.WebhookDelivery;

/**
 * One attempt to hand to the {@link DeliveryWorker}.
 *
 * @param key          subscription/call key of the delivery
 * @param delivery     what to send
 * @param attempt      1-based attempt number
 * @param attemptId    id the attempt record must carry, so the scheduler matches the result to its head
 * @param subscription the endpoint as currently configured, or null when it is unknown
 */
public record DeliveryJob(String key, WebhookDelivery delivery, int attempt, String attemptId,
                          WebhookSubscription subscription) {
}
