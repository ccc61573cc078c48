package io.sipai.gateway.webhooks.internal;

import static io.sipai.gateway.db.jooq.Tables.WEBHOOKS;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.sipai.gateway.db.jooq.WebhooksRecord;
import io.sipai.gateway.problems.Failures;
import io.sipai.gateway.webhooks.internal.WebhookService.Secret;
import io.sipai.runtime.secrets.SecretBox;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * At every start, brings the stored webhook secrets under the active master key: a secret still in clear (written
 * before secrets were encrypted) is sealed, and one wrapped under a retired key id is re-wrapped, each changed row
 * published as the next version of its subscription on {@code webhook.subscriptions.v1}, so the dispatcher's store
 * follows and compaction drops the older records. Rows are read in pages of {@value #PAGE} by subscription id and
 * each change is its own short transaction on the locked row, so a large table never holds a long lock. Running it
 * again changes nothing; a failure (Kafka or PostgreSQL away) is logged and the next start finishes the job,
 * meanwhile the dispatcher still signs with what the rows hold.
 */
@Component
public class SecretsMigration implements ApplicationRunner {

    static final int PAGE = 200;
    private static final Logger LOG = LoggerFactory.getLogger(SecretsMigration.class);

    private static final TypeReference<List<Secret>> SECRETS = new TypeReference<>() { };

    private final DSLContext db;
    private final WebhookService webhooks;
    private final SecretBox box;
    private final ObjectMapper mapper;
    private final Clock clock;

    public SecretsMigration(DSLContext db, WebhookService webhooks, SecretBox box, ObjectMapper mapper,
                            Clock clock) {
        this.db = db;
        this.webhooks = webhooks;
        this.box = box;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        try {
            int changed = migrate();
            if (changed > 0) {
                LOG.info("webhook secrets: {} subscriptions sealed or re-wrapped under the active master key",
                        changed);
            }
        } catch (RuntimeException e) {
            LOG.warn("webhook secrets not all sealed under the active master key, retried at the next start: {}",
                    Failures.describe(e));
        }
    }

    /** Reseals every row that needs it; returns how many changed. */
    int migrate() {
        int changed = 0;
        String after = "";
        while (true) {
            List<Record2<String, String>> page = db.select(WEBHOOKS.SUBSCRIPTION_ID, WEBHOOKS.SECRETS)
                    .from(WEBHOOKS).where(WEBHOOKS.SUBSCRIPTION_ID.gt(after))
                    .orderBy(WEBHOOKS.SUBSCRIPTION_ID).limit(PAGE).fetch();
            for (Record2<String, String> row : page) {
                if (needsResealing(row.value2()) && reseal(row.value1())) {
                    changed++;
                }
            }
            if (page.size() < PAGE) {
                return changed;
            }
            after = page.getLast().value1();
        }
    }

    /**
     * Seals the row's secrets that are in clear and re-wraps those under a retired master key, as the next
     * version, published; returns false (and changes nothing) when all are current or the row is gone.
     */
    private boolean reseal(String id) {
        return db.transactionResult(configuration -> {
            WebhooksRecord row = DSL.using(configuration).selectFrom(WEBHOOKS)
                    .where(WEBHOOKS.SUBSCRIPTION_ID.eq(id)).forUpdate().fetchOne();
            if (row == null || !needsResealing(row.getSecrets())) {
                return false;
            }
            String owner = SecretBox.webhookOwner(row.getTenantId(), row.getSubscriptionId());
            List<Secret> sealed = mapper.readValue(row.getSecrets(), SECRETS).stream()
                    .map(s -> new Secret(SecretBox.isSealed(s.secret()) ? box.rewrap(s.secret())
                            : box.seal(s.secret(), owner), s.notAfter())).toList();
            row.setSecrets(mapper.writeValueAsString(sealed));
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
            row.store();
            webhooks.publish(row);
            return true;
        });
    }

    /** Whether the stored secrets hold one in clear or one wrapped under a master key that is not the active one. */
    private boolean needsResealing(String secretsJson) {
        return mapper.readValue(secretsJson, SECRETS).stream().anyMatch(s -> !box.isCurrent(s.secret()));
    }
}
