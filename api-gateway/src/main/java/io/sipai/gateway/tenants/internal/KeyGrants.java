package io.sipai.gateway.tenants.internal;

import static io.sipai.gateway.db.jooq.Tables.API_KEYS;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.sipai.config.ApiKeyGrant;
import io.sipai.gateway.db.jooq.ApiKeysRecord;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.schemas.Topics;
import org.jooq.Cursor;
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
 * topic all converge. A revocation waits for the broker's acknowledgement of its tombstone, so a key the API says is
 * revoked is on its way to every edge.
 */
@Component
class KeyGrants implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KeyGrants.class);
    static final Duration SYNC_INTERVAL = Duration.ofMinutes(5);

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
        publisher.send(Topics.TENANT_API_KEYS, keyHash, grant(keyId, tenantId, scopes)).exceptionally(error -> {
            LOG.warn("the grant of key {} is not published yet ({}); the next sync publishes it", keyId,
                    error.toString());
            return null;
        });
    }

    /** A key was revoked: its tombstone, acknowledged. */
    void revoked(String keyHash) {
        publisher.sendAndWait(Topics.TENANT_API_KEYS, keyHash, null);
    }

    /** Publishes every key's state again: a grant for each active key, a tombstone for each revoked one. */
    int syncAll() {
        AtomicInteger published = new AtomicInteger();
        try (Cursor<ApiKeysRecord> rows = db.selectFrom(API_KEYS).fetchSize(500).fetchLazy()) {
            for (ApiKeysRecord row : rows) {
                publisher.send(Topics.TENANT_API_KEYS, row.getKeyHash(), row.getRevokedAt() != null ? null
                        : grant(row.getKeyId(), row.getTenantId(), row.getScopes()));
                published.incrementAndGet();
            }
        }
        return published.get();
    }

    private ApiKeyGrant grant(String keyId, String tenantId, String scopes) {
        return ApiKeyGrant.newBuilder().setKeyId(keyId).setTenantId(tenantId)
                .setScopes(Arrays.asList(scopes.split(","))).setUpdatedAt(clock.instant()).build();
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
