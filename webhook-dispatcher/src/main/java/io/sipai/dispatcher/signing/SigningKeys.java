package io.sipai.dispatcher.signing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.runtime.secrets.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a subscription's signing secrets for one delivery attempt. The subscription (from webhook.subscriptions.v1,
 * in the store and in delivery jobs) holds them sealed by api-gateway ({@link SecretBox}, owner
 * {@link SecretBox#webhookOwner}); the opened secrets live only in the returned list, for the attempt's signature,
 * and are never stored, written to a topic or logged. A secret still in clear (a subscription written before
 * secrets were encrypted, until api-gateway's startup migration seals it) signs as before, counted by
 * {@value #LEGACY_METER} and logged once per process.
 */
public final class SigningKeys {

    /** Counter of signatures made with a secret stored in clear. */
    public static final String LEGACY_METER = "sipai.webhook.legacy_secrets";
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private final SecretBox box;
    private final Counter legacy;
    private final AtomicBoolean legacyLogged = new AtomicBoolean();

    public SigningKeys(SecretBox box, MeterRegistry meters) {
        this.box = box;
        this.legacy = Counter.builder(LEGACY_METER)
                .description("webhook signatures made with a secret stored in clear (written before encryption)")
                .register(meters);
    }

    /**
     * The subscription's secrets valid at {@code now} ({@code notAfter} null or later), opened.
     *
     * @throws io.sipai.runtime.secrets.SecretException when a sealed secret does not open (unknown master key id,
     *                                                  or not sealed for this subscription)
     */
    public List<SigningSecret> valid(WebhookSubscription subscription, Instant now) {
        String owner = SecretBox.webhookOwner(subscription.getTenantId(), subscription.getSubscriptionId());
        List<SigningSecret> opened = new ArrayList<>();
        for (SigningSecret secret : subscription.getSecrets()) {
            if (secret.getNotAfter() != null && !secret.getNotAfter().isAfter(now)) {
                continue;
            }
            if (SecretBox.isSealed(secret.getSecret())) {
                opened.add(new SigningSecret(box.open(secret.getSecret(), owner), secret.getNotAfter()));
            } else {
                legacy.increment();
                if (legacyLogged.compareAndSet(false, true)) {
                    LOG.warn("subscription {} has a signing secret stored in clear; api-gateway seals it at its next "
                            + "start (further ones counted in {})", subscription.getSubscriptionId(), LEGACY_METER);
                }
                opened.add(secret);
            }
        }
        return opened;
    }
}
