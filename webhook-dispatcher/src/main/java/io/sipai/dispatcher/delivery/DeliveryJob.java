package io.sipai.dispatcher.delivery;

import java.util.List;

import io.sipai.config.WebhookSubscription;
import io.sipai.webhook.WebhookDelivery;

/**
 * A run of deliveries of one call to one endpoint for the delivery worker: sent one after the other, in
 * order, stopping at the first one that is not delivered.
 *
 * @param key          subscription/call key of the deliveries
 * @param deliveries   what to send, oldest first (at least one)
 * @param runId        id of the run; item i's attempt record carries {@link #attemptId(int)} so the scheduler
 *                     matches results to its queue
 * @param subscription the endpoint as currently configured, or null when it is unknown
 */
public record DeliveryJob(String key, List<WebhookDelivery> deliveries, String runId,
                          WebhookSubscription subscription) {

    public DeliveryJob {
        deliveries = List.copyOf(deliveries);
        if (deliveries.isEmpty()) {
            throw new IllegalArgumentException("a delivery job needs at least one delivery");
        }
    }

    /** Attempt id of item {@code index}. */
    public String attemptId(int index) {
        return Attempts.attemptId(runId, index);
    }

    /** 1-based attempt number of item {@code index}. */
    public int attemptNumber(int index) {
        return deliveries.get(index).getAttempts() + 1;
    }
}
