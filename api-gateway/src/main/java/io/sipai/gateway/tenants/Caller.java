package io.sipai.gateway.tenants;

import java.util.Set;

import io.sipai.gateway.problems.ApiException;
import io.sipai.gateway.problems.ProblemType;

/**
 * The authenticated API key behind a request: its tenant and scopes. Controllers take it as
 * {@code @RequestAttribute(Caller.ATTRIBUTE)}.
 */
public record Caller(String tenantId, String keyId, Set<Scope> scopes) {

    /** Request attribute the key filter stores the caller under. */
    public static final String ATTRIBUTE = "io.sipai.gateway.caller";
    /** The tenant created at first start; its admin keys may manage other tenants. */
    public static final String ROOT_TENANT = "default";

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** Throws 403 unless one of the key's scopes covers {@code needed}. */
    public Caller require(Scope needed) {
        if (scopes.stream().noneMatch(scope -> scope.covers(needed))) {
            throw new ApiException(ProblemType.INSUFFICIENT_SCOPE, "this needs the '" + needed.wireName()
                    + "' scope");
        }
        return this;
    }

    /** Whether this is an admin key of the root tenant (may act for any tenant). */
    public boolean platformAdmin() {
        return ROOT_TENANT.equals(tenantId) && scopes.contains(Scope.ADMIN);
    }
}
