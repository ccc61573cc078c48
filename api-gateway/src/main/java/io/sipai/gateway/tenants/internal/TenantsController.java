package io.sipai.gateway.tenants.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;
import io.sipai.gateway.tenants.Caller;
import io.sipai.gateway.tenants.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenants ({@code /v1/tenants}, root admins only) and API keys ({@code /v1/api-keys}, admin scope). */
@RestController
public class TenantsController {

    private final ApiKeyStore keys;
    private final AccessLimits limits;

    public TenantsController(ApiKeyStore keys, AccessLimits limits) {
        this.keys = keys;
        this.limits = limits;
    }

    /** Body of POST /v1/tenants. */
    public record CreateTenant(String name) {
    }

    /** Body of POST /v1/api-keys; tenantId only for root admins acting for another tenant. */
    public record CreateKey(String name, List<String> scopes, String tenantId) {
    }

    @PostMapping("/v1/tenants")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> createTenant(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                            @RequestBody CreateTenant body) {
        caller.require(Scope.ADMIN);
        if (!caller.platformAdmin()) {
            throw new ApiException(ProblemType.INSUFFICIENT_SCOPE, "only admins of the root tenant create tenants");
        }
        String name = requireName(body.name());
        String tenantId = "ten_" + UUID.randomUUID().toString().replace("-", "");
        keys.ensureTenant(tenantId, name);
        ApiKeyStore.NewKey key = keys.create(tenantId, "initial admin", EnumSet.allOf(Scope.class));
        return Map.of("id", tenantId, "name", name, "createdAt", OffsetDateTime.now(ZoneOffset.UTC),
                "apiKey", key.key(), "apiKeyId", key.info().id());
    }

    @GetMapping("/v1/api-keys")
    public Map<String, Object> listKeys(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.require(Scope.ADMIN);
        return Map.of("data", keys.list(caller.tenantId()));
    }

    @PostMapping("/v1/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> createKey(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
                                         @RequestBody CreateKey body) {
        caller.require(Scope.ADMIN);
        String tenantId = caller.tenantId();
        if (body.tenantId() != null && !body.tenantId().equals(tenantId)) {
            if (!caller.platformAdmin() || !keys.exists(body.tenantId())) {
                throw ApiException.notFound("tenant", body.tenantId());
            }
            tenantId = body.tenantId();
        }
        if (body.scopes() == null || body.scopes().isEmpty()) {
            throw ApiException.invalid("scopes", "give at least one of read, write, admin");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < body.scopes().size(); i++) {
            Scope scope = Scope.parse(body.scopes().get(i));
            if (scope == null) {
                throw ApiException.notOneOf("scopes[" + i + "]", body.scopes().get(i),
                        Arrays.stream(Scope.values()).map(Scope::wireName).toList());
            }
            scopes.add(scope);
        }
        int cap = limits.maxKeysPerTenant();
        ApiKeyStore.NewKey key = keys.createCapped(tenantId, requireName(body.name()), scopes, cap)
                .orElseThrow(() -> new ApiException(ProblemType.API_KEY_LIMIT, "the tenant already has " + cap
                        + " active API keys (API_MAX_KEYS_PER_TENANT); revoke one first",
                        Map.of("maxActiveKeys", cap)));
        return Map.of("id", key.info().id(), "tenantId", tenantId, "name", key.info().name(),
                "scopes", key.info().scopes(), "prefix", key.info().prefix(), "createdAt", key.info().createdAt(),
                "key", key.key());
    }

    @DeleteMapping("/v1/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void revokeKey(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String id) {
        caller.require(Scope.ADMIN);
        if (!keys.revoke(caller.tenantId(), id)) {
            throw ApiException.notFound("API key", id);
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name", "is required");
        }
        if (name.length() > 200) {
            throw ApiException.invalid("name", "must be at most 200 characters");
        }
        return name.strip();
    }
}
