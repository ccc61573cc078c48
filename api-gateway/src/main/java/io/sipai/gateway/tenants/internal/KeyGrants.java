package io.sipai.gateway.tenants.internal;

import static io.sipai.gateway.db.jooq.Tables.API_KEYS;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sipai.config.ApiKeyGrant;
import io.sipai.gateway.db.jooq.ApiKeysRecord;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.schemas.Topics;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes which API keys may be used on {@code tenant.api-keys.v1}, for the services that authenticate keys
 * without the database (realtime-edge): a grant (the key's SHA-256 digest as the record key, its id, tenant and
 * scopes; never the key) when a key is created, a tombstone when it is revoked, and every key again at start and
 * every {@link #SYNC_INTERVAL}, so a publication that failed, keys created before this existed and a recreated
 * topic all converge. Keys with the {@code admin} scope are never granted (a tombstone stands for them): the
 * internet-facing edge holds no digest of a key that can manage a tenant. A revocation waits for the broker's
 * acknowledgement of its tombstone, so a key the API says is revoked is on its way to every edge; a sync that read
 * a key before its revocation publishes the tombstone again after its own grants, so it never outlives it.
 */
@Component
class KeyGrants implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KeyGrants.class);
    static final Duration SYNC_INTERVAL = Duration.ofMinutes(5);
    private static final int PAGE = 500;
    private static final String ADMIN_SCOPE = "admin";
    private static final Duration REVOCATION_MARGIN = Duration.ofMinutes(1);

    private final DSLContext db;
    private final RecordPublisher publisher;
    private final Clock clock;
    /** The sync's timer while running (a stopped context may be started again). */
    private ScheduledExecutorService timer;

    KeyGrants(DSLContext db, RecordPublisher publisher, Clock clock) {
        this.db = db;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** A key was created: publish its grant (a failure is repaired by the next sync). */
    void granted(String keyHash, String keyId, String tenantId, String scopes) {
        publisher.send(Topics.TENANT_API_KEYS, keyHash, grant(keyId, tenantId, scopes, false)).exceptionally(error -> {
            LOG.warn("the grant of key {} is not published yet ({}); the next sync publishes it", keyId,
                    error.toString());
            return null;
        });
    }

    /** A key was revoked: its tombstone, acknowledged. */
    void revoked(String keyHash) {
        publisher.sendAndWait(Topics.TENANT_API_KEYS, keyHash, null);
    }

    /**
     * Publishes every key's state again, a page at a time: a grant for each active key, a tombstone for each revoked
     * one; then, acknowledged, the tombstones of keys revoked while it ran. Answers how many keys it published.
     */
    int syncAll() {
        OffsetDateTime started = OffsetDateTime.now(clock);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        String after = "";
        while (true) {
            List<ApiKeysRecord> page = db.selectFrom(API_KEYS).where(API_KEYS.KEY_ID.gt(after))
                    .orderBy(API_KEYS.KEY_ID).limit(PAGE).fetch();
            for (ApiKeysRecord row : page) {
                sent.add(publisher.send(Topics.TENANT_API_KEYS, row.getKeyHash(),
                        grant(row.getKeyId(), row.getTenantId(), row.getScopes(), row.getRevokedAt() != null)));
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.getLast().getKeyId();
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        // A revocation stamped just before the sync began may have committed after its page was read: a margin.
        db.select(API_KEYS.KEY_HASH).from(API_KEYS).where(API_KEYS.REVOKED_AT.ge(started.minus(REVOCATION_MARGIN)))
                .fetch(r -> r.value1()).forEach(this::revoked);
        return sent.size();
    }

    /** The grant of a usable key; null (a tombstone) for a revoked one or one with the admin scope. */
    private ApiKeyGrant grant(String keyId, String tenantId, String scopes, boolean revoked) {
        List<String> list = Arrays.asList(scopes.split(","));
        if (revoked || list.contains(ADMIN_SCOPE)) {
            return null;
        }
        return ApiKeyGrant.newBuilder().setKeyId(keyId).setTenantId(tenantId).setScopes(list)
                .setUpdatedAt(clock.instant()).build();
    }

    private void syncSafely() {
        try {
            LOG.debug("api key grants: {} published again", syncAll());
        } catch (RuntimeException e) {
            LOG.warn("api key grants not published again ({}); retrying in {}", e.toString(), SYNC_INTERVAL);
        }
    }

    @Override
    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("api-key-grants").factory());
            timer.scheduleWithFixedDelay(this::syncSafely, 0, SYNC_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
