package io.sipai.dispatcher.scheduling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.sipai.webhook.WebhookDelivery;
import org.junit.jupiter.api.Test;

/** Runs of one key's deliveries: results applied in order, the run's end, and the store encoding. */
class DeliveryQueueTest {

    @Test
    void aRunConsumesItsDeliveriesInOrderAndLeavesLaterOnesQueued() {
        // given three queued deliveries, the first two handed out as one run
        DeliveryQueue queue = queueOf("a", "b", "c");
        queue.inFlight("run-1", 2, 1_000);

        // when the run's two results arrive
        String first = queue.expectedAttemptId();
        boolean goesOn = queue.delivered(10, 2_000);
        String second = queue.expectedAttemptId();
        boolean stillGoing = queue.delivered(20, 3_000);

        // then the ids follow the run, the deadline moved, and the third delivery waits, due now
        assertThat(first).isEqualTo("run-1/0");
        assertThat(goesOn).isTrue();
        assertThat(second).isEqualTo("run-1/1");
        assertThat(stillGoing).isFalse();
        assertThat(queue.inFlightId()).isNull();
        assertThat(queue.head().getWebhookId()).isEqualTo("c");
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.dueAt()).isEqualTo(20);
    }

    @Test
    void theStoreEncodingKeepsTheRunInFlight() {
        DeliveryQueue queue = queueOf("a", "b");
        queue.inFlight("run-2", 2, 5_000);
        queue.delivered(10, 6_000);

        DeliveryQueue read = DeliveryQueue.serde().deserializer().deserialize("t",
                DeliveryQueue.serde().serializer().serialize("t", queue));

        assertThat(read.expectedAttemptId()).isEqualTo("run-2/1");
        assertThat(read.inFlightDeadline()).isEqualTo(6_000);
        assertThat(read.firstItems(5)).extracting(WebhookDelivery::getWebhookId).containsExactly("b");
    }

    private static DeliveryQueue queueOf(String... ids) {
        DeliveryQueue queue = new DeliveryQueue();
        for (String id : ids) {
            queue.add(WebhookDelivery.newBuilder().setWebhookId(id).setSubscriptionId("sub").setTenantId("t")
                    .setCallId("call").setEventType("dtmf").setOccurredAt(java.time.Instant.EPOCH)
                    .setPayloadJson("{}").setAttempts(0).setLastError(null).setReplay(false).build());
        }
        assertThat(queue.firstItems(10)).hasSize(List.of(ids).size());
        return queue;
    }
}
