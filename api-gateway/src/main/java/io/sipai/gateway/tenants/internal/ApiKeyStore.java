package io.sipai.gateway.tenants.internal;

import static io.sipai.gateway.db.jooq.Tables.API_KEYS;
import static io.sipai.gateway.db.jooq.Tables.TENANTS;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sipai.gateway.db.jooq.ApiKeysRecord;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import io.sipai.gateway.tenants.Tenants;
import org.jooq.DSLContext;
import org.springframework.stereotype.Repository;

/**
 * Tenants and API keys in PostgreSQL. Keys are kept only as SHA-256 hashes: a key is random (256 bits), so a fast
 * hash is enough, and a lookup is one primary-key-like probe per request.
 */
@Repository
public class ApiKeyStore implements Tenants {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext db;
    private final Counter lookups;
    private final KeyGrants grants;

    public ApiKeyStore(DSLContext db, MeterRegistry meters, KeyGrants grants) {
        this.db = db;
        this.grants = grants;
        // Lets operators (and the tests) see what failed authentications cost the database.
        this.lookups = Counter.builder("sipai.gateway.api_key.lookups")
                .description("API keys looked up in PostgreSQL to authenticate a request").register(meters);
    }

    /** A key as listed (never the secret). */
    public record KeyInfo(String id, String tenantId, String name, String prefix, List<String> scopes,
                          OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }

    /** A newly created key: the only time the secret is visible. */
    public record NewKey(KeyInfo info, String key) {
    }

    /** The caller holding {@code key}, unless unknown or revoked. */
    public Optional<Caller> authenticate(String key) {
        lookups.increment();
        ApiKeysRecord row = db.selectFrom(API_KEYS).where(API_KEYS.KEY_HASH.eq(hash(key))).fetchOne();
        if (row == null || row.getRevokedAt() != null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(row.getTenantId(), row.getKeyId(), parseScopes(row.getScopes())));
    }

    @Override
    public boolean exists(String tenantId) {
        return db.fetchExists(TENANTS, TENANTS.TENANT_ID.eq(tenantId));
    }

    /** Creates the tenant unless it exists. */
    public void ensureTenant(String tenantId, String name) {
        db.insertInto(TENANTS).set(TENANTS.TENANT_ID, tenantId).set(TENANTS.NAME, name)
                .set(TENANTS.CREATED_AT, now()).onConflictDoNothing().execute();
    }

    public List<KeyInfo> list(String tenantId) {
        return db.selectFrom(API_KEYS).where(API_KEYS.TENANT_ID.eq(tenantId)).orderBy(API_KEYS.CREATED_AT)
                .fetch(ApiKeyStore::info);
    }

    /** Creates a random key for the tenant. */
    public NewKey create(String tenantId, String name, Set<Scope> scopes) {
        return insert(tenantId, name, scopes, randomKey());
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Creates a random key for the tenant unless it already holds {@code maxActive} active keys (then empty). The
     * tenant's row is locked while counting, so concurrent creations cannot overshoot the cap together.
     */
    public Optional<NewKey> createCapped(String tenantId, String name, Set<Scope> scopes, int maxActive) {
        Optional<NewKey> created = db.transactionResult(transaction -> {
            DSLContext tx = transaction.dsl();
            tx.selectOne().from(TENANTS).where(TENANTS.TENANT_ID.eq(tenantId)).forUpdate().fetch();
            if (tx.fetchCount(API_KEYS, API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.REVOKED_AT.isNull())
                    >= maxActive) {
                return Optional.<NewKey>empty();
            }
            String key = randomKey();
            ApiKeysRecord row = row(tx, tenantId, name, scopes, key);
            row.store();
            return Optional.of(new NewKey(info(row), key));
        });
        created.ifPresent(key -> granted(key.key(), key.info()));
        return created;
    }

    private void granted(String key, KeyInfo info) {
        grants.granted(hash(key), info.id(), info.tenantId(), String.join(",", info.scopes()));
    }

    /**
     * Stores a key whose text the operator chose (SIPAI_ADMIN_API_KEY), unless it is stored already. Several
     * instances starting at once on a new database all get here: the insert of every one but the first does nothing.
     */
    public void ensureKey(String tenantId, String name, Set<Scope> scopes, String key) {
        if (!db.fetchExists(API_KEYS, API_KEYS.KEY_HASH.eq(hash(key)))) {
            ApiKeysRecord row = row(db, tenantId, name, scopes, key);
            if (db.insertInto(API_KEYS).set(row).onConflictDoNothing().execute() == 1) {
                granted(key, info(row));
            }
        }
    }

    public boolean hasKeys(String tenantId) {
        return db.fetchExists(API_KEYS, API_KEYS.TENANT_ID.eq(tenantId));
    }

    /** Revokes a key of the tenant; false when the tenant has no such key. */
    public boolean revoke(String tenantId, String keyId) {
        String keyHash = db.update(API_KEYS).set(API_KEYS.REVOKED_AT, now())
                .where(API_KEYS.KEY_ID.eq(keyId), API_KEYS.TENANT_ID.eq(tenantId), API_KEYS.REVOKED_AT.isNull())
                .returningResult(API_KEYS.KEY_HASH).fetchOne(r -> r.value1());
        if (keyHash == null) {
            // Revoked before (or no such key): a retried revocation publishes the tombstone again, in case the first
            // one did not get through.
            keyHash = db.select(API_KEYS.KEY_HASH).from(API_KEYS)
                    .where(API_KEYS.KEY_ID.eq(keyId), API_KEYS.TENANT_ID.eq(tenantId)).fetchOne(r -> r.value1());
        }
        if (keyHash == null) {
            return false;
        }
        grants.revoked(keyHash);
        return true;
    }

    private NewKey insert(String tenantId, String name, Set<Scope> scopes, String key) {
        ApiKeysRecord row = row(db, tenantId, name, scopes, key);
        row.store();
        NewKey created = new NewKey(info(row), key);
        granted(key, created.info());
        return created;
    }

    private static ApiKeysRecord row(DSLContext db, String tenantId, String name, Set<Scope> scopes, String key) {
        ApiKeysRecord row = db.newRecord(API_KEYS);
        row.setKeyId("key_" + UUID.randomUUID().toString().replace("-", ""));
        row.setTenantId(tenantId);
        row.setName(name);
        row.setKeyHash(hash(key));
        row.setKeyPrefix(key.substring(0, Math.min(10, key.length())));
        row.setScopes(EnumSet.copyOf(scopes).stream().map(Scope::wireName).collect(Collectors.joining(",")));
        row.setCreatedAt(now());
        return row;
    }

    private static KeyInfo info(ApiKeysRecord row) {
        return new KeyInfo(row.getKeyId(), row.getTenantId(), row.getName(), row.getKeyPrefix(),
                Arrays.asList(row.getScopes().split(",")), row.getCreatedAt(), row.getRevokedAt());
    }

    private static Set<Scope> parseScopes(String text) {
        return Arrays.stream(text.split(",")).map(Scope::parse).filter(s -> s != null)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scope.class)));
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
