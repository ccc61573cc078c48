package io.sipai.gateway.webhooks.internal;

import static io.sipai.gateway.db.jooq.Tables.WEBHOOKS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.sipai.config.WebhookSubscription;
import io.sipai.gateway.db.jooq.WebhooksRecord;
import io.sipai.quarantine.QuarantineReason;
import io.sipai.runtime.kafka.ConsumerLoop;
import io.sipai.runtime.kafka.UnprocessableRecordException;
import io.sipai.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/**
 * Brings the disables webhook-dispatcher makes (after a 410, or 5 days of failures) into the {@code webhooks}
 * table, so the API shows the subscription disabled and its next edit publishes a higher version that keeps it so.
 * Input: {@code webhook.subscriptions.v1} (key subscriptionId, compacted), through a grouped consumer loop
 * ({@link #GROUP_ID}, one member per gateway instance, at-least-once); only records with {@code enabled=false} that
 * are not deletions matter, the gateway's own among them, which change nothing. Per record, in one transaction on
 * the locked row:
 * <ul>
 *   <li>a higher version than the row's: the row takes the disable and its version (and time);</li>
 *   <li>the row's version while the row is enabled: the API published an edit with that version before it learned
 *   of the disable; the dispatcher keeps the disable (on equal versions the disabled record wins) but not the edit,
 *   so the row is disabled and published as the next version, which both sides then agree on;</li>
 *   <li>otherwise (older, already disabled, or the row is gone) nothing.</li>
 * </ul>
 * Applying a record twice changes nothing. A record that does not decode is quarantined by the loop.
 */
@Component
public class DispatcherDisables implements ConsumerLoop.Handler {

    /** Name of the consumer loop (metrics tag, health checks). */
    public static final String LOOP = "webhook-disables";
    /** Consumer group of the loop, shared by the gateway instances. */
    public static final String GROUP_ID = "api-gateway-webhook-disables";
    /** The topic the loop reads. */
    public static final List<String> TOPICS = List.of(Topics.WEBHOOK_SUBSCRIPTIONS.name());

    private final DSLContext db;
    private final WebhookService webhooks;
    private final Clock clock;

    public DispatcherDisables(DSLContext db, WebhookService webhooks, Clock clock) {
        this.db = db;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @Override
    public void handle(List<ConsumerRecord<byte[], byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            if (record.value() == null) {
                continue;
            }
            WebhookSubscription subscription;
            try {
                subscription = Topics.WEBHOOK_SUBSCRIPTIONS.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
            } catch (SerializationException e) {
                throw new UnprocessableRecordException(i, QuarantineReason.UNDECODABLE,
                        "not a webhook subscription: " + e.getMessage(), e);
            }
            if (!subscription.getDeleted() && !subscription.getEnabled()) {
                apply(subscription);
            }
        }
    }

    private void apply(WebhookSubscription disabled) {
        db.transaction(configuration -> {
            WebhooksRecord row = DSL.using(configuration).selectFrom(WEBHOOKS)
                    .where(WEBHOOKS.SUBSCRIPTION_ID.eq(disabled.getSubscriptionId())).forUpdate().fetchOne();
            if (row == null) {
                return;
            }
            if (row.getVersion() < disabled.getVersion()) {
                row.setEnabled(false);
                row.setVersion(disabled.getVersion());
                row.setUpdatedAt(disabled.getUpdatedAt().atOffset(ZoneOffset.UTC));
                row.store();
            } else if (row.getVersion() == disabled.getVersion() && row.getEnabled()) {
                row.setEnabled(false);
                row.setVersion(row.getVersion() + 1);
                row.setUpdatedAt(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                row.store();
                webhooks.publish(row);
            }
        });
    }
}
