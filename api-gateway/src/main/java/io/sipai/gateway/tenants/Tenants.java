package io.sipai.gateway.tenants;

/** Which tenants exist, for features that route work to a tenant they were told of (the telephony webhooks). */
public interface Tenants {

    /** Whether the tenant exists. */
    boolean exists(String tenantId);
}
