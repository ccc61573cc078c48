package io.sipai.gateway.webhooks.internal;

import static io.sipai.gateway.db.jooq.Tables.WEBHOOKS;
import static io.sipai.gateway.db.jooq.Tables.WEBHOOK_ATTEMPTS;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.sipai.config.SigningSecret;
import io.sipai.config.WebhookSubscription;
import io.sipai.gateway.db.jooq.WebhookAttemptsRecord;
import io.sipai.gateway.db.jooq.WebhooksRecord;
import io.sipai.gateway.kafka.RecordPublisher;
import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.web.UrlField;
import io.sipai.runtime.secrets.SecretBox;
import io.sipai.runtime.ssrf.SsrfGuard;
import io.sipai.runtime.ssrf.SsrfRefusedException;
import io.sipai.schemas.Topics;
import io.sipai.webhook.WebhookReplay;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Webhook subscriptions on compacted {@code webhook.subscriptions.v1} (key subscriptionId), their signing secrets
 * ({@code whsec_} + base64 of 32 random bytes, shown once; a rotation keeps the old one valid for 24 h), the
 * projected delivery log, and replay commands on {@code webhook.replay.v1}. URLs pass the SSRF guard before they
 * are stored (internal, metadata and odd-spelled IP targets are refused with a 422 on {@code url}).
 *
 * <p>A secret is sealed by the {@link SecretBox} for its subscription ({@link SecretBox#webhookOwner}) the moment
 * it is made, and only the sealed text is written to PostgreSQL and the topic: the gateway never opens a secret,
 * only webhook-dispatcher does, to sign. The plaintext exists only in the create or rotate response.
 */
@Service
public class WebhookService {

    /** How long a rotated-out secret keeps signing. */
    public static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern EVENT_TYPE = Pattern.compile("\\*|[a-z][a-z_]*(\\.[a-z][a-z_]*)*");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Instant LATEST_EVENT = Instant.parse("9999-12-31T23:59:59Z");

    private final DSLContext db;
    private final RecordPublisher publisher;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SsrfGuard guard;
    private final SecretBox box;

    public WebhookService(DSLContext db, RecordPublisher publisher, ObjectMapper mapper, Clock clock,
                          SsrfGuard guard, SecretBox box) {
        this.db = db;
        this.publisher = publisher;
        this.mapper = mapper;
        this.clock = clock;
        this.guard = guard;
        this.box = box;
    }

    /** Body of POST and PUT /v1/webhooks. */
    public record WebhookSpec(String url, List<String> eventTypes, Boolean enabled) {
    }

    public record WebhookView(String id, String url, List<String> eventTypes, boolean enabled, long version,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt, String secret) {
    }

    /** A stored secret (the JSON in webhooks.secrets): sealed, or in clear when written before encryption. */
    public record Secret(String secret, Instant notAfter) {
    }

    public record AttemptView(String id, String webhookId, String callId, String eventType, int attempt,
                              OffsetDateTime attemptedAt, String outcome, Integer statusCode, long latencyMs,
                              String error, OffsetDateTime nextAttemptAt) {
    }

    public WebhookView create(String tenantId, WebhookSpec spec) {
        check(spec);
        String secret = newSecret();
        return db.transactionResult(configuration -> {
            WebhooksRecord row = DSL.using(configuration).newRecord(WEBHOOKS);
            row.setSubscriptionId("whk_" + UUID.randomUUID().toString().replace("-", ""));
            row.setTenantId(tenantId);
            row.setVersion(1L);
            row.setCreatedAt(now());
            fill(row, spec);
            row.setSecrets(mapper.writeValueAsString(List.of(new Secret(seal(row, secret), null))));
            row.store();
            publish(row, false);
            return view(row, secret);
        });
    }

    public WebhookView replace(String tenantId, String id, WebhookSpec spec) {
        check(spec);
        return db.transactionResult(configuration -> {
            WebhooksRecord row = locked(DSL.using(configuration), tenantId, id);
            row.setVersion(row.getVersion() + 1);
            fill(row, spec);
            row.store();
            publish(row, false);
            return view(row, null);
        });
    }

    /** New current secret; the previous ones stay valid until now + 24 h (already-expired ones are dropped). */
    public WebhookView rotate(String tenantId, String id) {
        String secret = newSecret();
        return db.transactionResult(configuration -> {
            WebhooksRecord row = locked(DSL.using(configuration), tenantId, id);
            Instant now = clock.instant();
            List<Secret> kept = new ArrayList<>();
            kept.add(new Secret(seal(row, secret), null));
            for (Secret old : secrets(row)) {
                Instant notAfter = old.notAfter() == null ? now.plus(ROTATION_OVERLAP) : old.notAfter();
                if (notAfter.isAfter(now)) {
                    kept.add(new Secret(old.secret(), notAfter));
                }
            }
            row.setSecrets(mapper.writeValueAsString(kept));
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now());
            row.store();
            publish(row, false);
            return view(row, secret);
        });
    }

    public void delete(String tenantId, String id) {
        db.transaction(configuration -> {
            WebhooksRecord row = locked(DSL.using(configuration), tenantId, id);
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now());
            publish(row, true);
            publisher.sendAndWait(Topics.WEBHOOK_SUBSCRIPTIONS, id, null);
            row.delete();
        });
    }

    public WebhookView get(String tenantId, String id) {
        return view(db.selectFrom(WEBHOOKS).where(WEBHOOKS.SUBSCRIPTION_ID.eq(id), WEBHOOKS.TENANT_ID.eq(tenantId))
                .fetchOptional().orElseThrow(() -> ApiException.notFound("webhook", id)), null);
    }

    public List<WebhookView> list(String tenantId) {
        return db.selectFrom(WEBHOOKS).where(WEBHOOKS.TENANT_ID.eq(tenantId)).orderBy(WEBHOOKS.CREATED_AT)
                .limit(1_000).fetch(row -> view(row, null));
    }

    /** The newest attempts first, attempts older than {@code before} (an attempt id) when given. */
    public List<AttemptView> attempts(String tenantId, String id, String before, int limit) {
        get(tenantId, id);
        var where = new ArrayList<>(List.of(WEBHOOK_ATTEMPTS.SUBSCRIPTION_ID.eq(id),
                WEBHOOK_ATTEMPTS.TENANT_ID.eq(tenantId)));
        if (before != null) {
            WebhookAttemptsRecord anchor = db.selectFrom(WEBHOOK_ATTEMPTS)
                    .where(WEBHOOK_ATTEMPTS.ATTEMPT_ID.eq(before), WEBHOOK_ATTEMPTS.SUBSCRIPTION_ID.eq(id)).fetchOne();
            if (anchor == null) {
                throw ApiException.invalid("cursor", "not an attempt of this webhook");
            }
            where.add(DSL.row(WEBHOOK_ATTEMPTS.ATTEMPTED_AT, WEBHOOK_ATTEMPTS.ATTEMPT_ID)
                    .lt(anchor.getAttemptedAt(), anchor.getAttemptId()));
        }
        return db.selectFrom(WEBHOOK_ATTEMPTS).where(where)
                .orderBy(WEBHOOK_ATTEMPTS.ATTEMPTED_AT.desc(), WEBHOOK_ATTEMPTS.ATTEMPT_ID.desc()).limit(limit)
                .fetch(a -> new AttemptView(a.getAttemptId(), a.getWebhookId(), a.getCallId(), a.getEventType(),
                        a.getAttempt(), a.getAttemptedAt(), a.getOutcome(), a.getStatusCode(), a.getLatencyMs(),
                        a.getError(), a.getNextAttemptAt()));
    }

    /** Publishes a replay of one event or of [from, to); returns the replay id. */
    public String replay(String tenantId, String id, String eventId, Instant from, Instant to) {
        get(tenantId, id);
        if ((eventId == null) == (from == null && to == null)) {
            throw ApiException.invalid("eventId", "give either eventId or both from and to");
        }
        if (eventId == null && (from == null || to == null || !from.isBefore(to))) {
            throw ApiException.invalid(from == null ? "from" : "to", "give both from and to, with from < to");
        }
        if (eventId == null && Duration.between(from, to).compareTo(Duration.ofDays(31)) > 0) {
            throw ApiException.invalid("to", "a replay covers at most 31 days");
        }
        within("from", from);
        within("to", to);
        String replayId = "rpl_" + UUID.randomUUID().toString().replace("-", "");
        publisher.sendAndWait(Topics.WEBHOOK_REPLAY, id, new WebhookReplay(replayId, id, tenantId, eventId, from, to,
                clock.instant()));
        return replayId;
    }

    /** Events carry epoch-millisecond times, so a bound outside years 1970-9999 names no event and cannot be sent. */
    private static void within(String field, Instant bound) {
        if (bound != null && (bound.isBefore(Instant.EPOCH) || bound.isAfter(LATEST_EVENT))) {
            throw ApiException.invalid(field, "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
        }
    }

    private WebhooksRecord locked(DSLContext tx, String tenantId, String id) {
        return tx.selectFrom(WEBHOOKS).where(WEBHOOKS.SUBSCRIPTION_ID.eq(id), WEBHOOKS.TENANT_ID.eq(tenantId))
                .forUpdate().fetchOptional().orElseThrow(() -> ApiException.notFound("webhook", id));
    }

    private void check(WebhookSpec spec) {
        URI uri = UrlField.check("url", spec.url(), Set.of("https", "http"));
        if ("http".equals(uri.getScheme()) && !LOOPBACK.contains(uri.getHost())) {
            throw ApiException.invalid("url", "must be an absolute https URL (plain http only for localhost)");
        }
        try {
            // The dispatcher checks again at connect time; refusing here tells the customer at once.
            guard.check(spec.url());
        } catch (SsrfRefusedException e) {
            // The guard's own exception: its message always says why.
            throw ApiException.invalid("url", "refused: " + e.getMessage());
        }
        if (spec.eventTypes() == null || spec.eventTypes().isEmpty()) {
            throw ApiException.invalid("eventTypes", "give at least one event type, or \"*\"");
        }
        for (int i = 0; i < spec.eventTypes().size(); i++) {
            String type = spec.eventTypes().get(i);
            if (type == null || type.length() > 64 || !EVENT_TYPE.matcher(type).matches()) {
                throw ApiException.invalid("eventTypes[" + i + "]", "must look like call.ended, or be \"*\"");
            }
        }
    }

    /**
     * A new subscription is enabled unless the request says otherwise; an edit keeps the current state unless the
     * request names one, so an edit does not undo a disable (the customer's or the dispatcher's).
     */
    private void fill(WebhooksRecord row, WebhookSpec spec) {
        row.setUrl(spec.url());
        row.setEventTypes(String.join(",", spec.eventTypes()));
        row.setEnabled(spec.enabled() != null ? spec.enabled() : row.getEnabled() == null || row.getEnabled());
        row.setUpdatedAt(now());
    }

    /** Publishes the row as it stands (not deleted), within the caller's transaction. */
    void publish(WebhooksRecord row) {
        publish(row, false);
    }

    private void publish(WebhooksRecord row, boolean deleted) {
        publisher.sendAndWait(Topics.WEBHOOK_SUBSCRIPTIONS, row.getSubscriptionId(), WebhookSubscription.newBuilder()
                .setSubscriptionId(row.getSubscriptionId()).setTenantId(row.getTenantId())
                .setVersion(row.getVersion()).setUpdatedAt(row.getUpdatedAt().toInstant()).setDeleted(deleted)
                .setUrl(row.getUrl()).setEventTypes(eventTypes(row)).setEnabled(row.getEnabled())
                .setSecrets(secrets(row).stream().map(s -> new SigningSecret(s.secret(), s.notAfter())).toList())
                .build());
    }

    private String seal(WebhooksRecord row, String secret) {
        return box.seal(secret, SecretBox.webhookOwner(row.getTenantId(), row.getSubscriptionId()));
    }

    private List<Secret> secrets(WebhooksRecord row) {
        return mapper.readValue(row.getSecrets(), new TypeReference<List<Secret>>() { });
    }

    private static List<String> eventTypes(WebhooksRecord row) {
        return Arrays.asList(row.getEventTypes().split(","));
    }

    private static WebhookView view(WebhooksRecord row, String secret) {
        return new WebhookView(row.getSubscriptionId(), row.getUrl(), eventTypes(row), row.getEnabled(),
                row.getVersion(), row.getCreatedAt(), row.getUpdatedAt(), secret);
    }

    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
