package io.sipai.dispatcher.subscriptions.internal;

import static io.sipai.dispatcher.testing.DispatcherDriver.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.sipai.config.WebhookSubscription;
import io.sipai.dispatcher.testing.DispatcherDriver;
import io.sipai.webhook.AttemptOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which subscription record the dispatcher's view keeps, on the TopologyTestDriver, given/when/then: versions only
 * grow, and of two records with the same version the one that stops deliveries wins, so an edit api-gateway made
 * before it learned of a disable cannot re-enable the endpoint, while a later edit can.
 */
class SubscriptionVersionsTest {

    private final DispatcherDriver dispatcher = new DispatcherDriver();

    @AfterEach
    void close() {
        dispatcher.close();
    }

    @Test
    void anEditWithTheVersionOfTheDispatchersDisableDoesNotReEnableTheEndpoint() {
        // given an endpoint the dispatcher disabled after a 410, as version 2
        WebhookSubscription v1 = dispatcher.subscribe("sub-1");
        dispatcher.attempt(failure("sub-1", dispatcher.now(), AttemptOutcome.ENDPOINT_DISABLED, "410 Gone"));
        assertThat(dispatcher.subscriptionUpdates()).singleElement()
                .satisfies(disabled -> assertThat(disabled.getVersion()).isEqualTo(2));

        // when the gateway, not yet aware of it, publishes a secret rotation as version 2, enabled
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(2).setEnabled(true).build());

        // then the endpoint stays disabled and an event of the tenant makes no delivery
        assertThat(dispatcher.subscription("sub-1").getEnabled()).isFalse();
        dispatcher.event("call-1");
        assertThat(dispatcher.takeJobs()).isEmpty();
    }

    @Test
    void aDisableWinsOverAnEnabledRecordOfTheSameVersionThatArrivedFirst() {
        // given the gateway's enabled version 2
        WebhookSubscription v1 = dispatcher.subscribe("sub-1");
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(2).build());

        // when a disabled version 2 arrives after it
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(2).setEnabled(false).build());

        // then the endpoint is disabled
        assertThat(dispatcher.subscription("sub-1").getEnabled()).isFalse();
    }

    @Test
    void anOlderOrEqualEnabledRecordIsIgnoredButAHigherVersionReEnables() {
        // given a disabled version 3
        WebhookSubscription v1 = dispatcher.subscribe("sub-1");
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(3).setEnabled(false).build());

        // when an enabled version 2 and an enabled version 3 with another URL arrive
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(2).setEnabled(true).build());
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(3).setEnabled(true)
                .setUrl("https://hooks.example.com/elsewhere").build());

        // then neither replaced the disable
        assertThat(dispatcher.subscription("sub-1").getEnabled()).isFalse();
        assertThat(dispatcher.subscription("sub-1").getUrl()).isEqualTo(v1.getUrl());

        // and when the customer re-enables it, version 4, deliveries start again
        dispatcher.publish(WebhookSubscription.newBuilder(v1).setVersion(4).setEnabled(true).build());
        assertThat(dispatcher.subscription("sub-1").getEnabled()).isTrue();
        dispatcher.event("call-1");
        assertThat(dispatcher.takeJobs()).hasSize(1);
    }
}
