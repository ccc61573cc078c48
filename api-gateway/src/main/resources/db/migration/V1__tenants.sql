-- api-gateway's PostgreSQL schema. Constraints are named so jOOQ's DDL parser and PostgreSQL agree on them.

-- Every resource belongs to a tenant.
CREATE TABLE tenants (
    tenant_id   VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_tenants PRIMARY KEY (tenant_id)
);

-- API keys are stored as SHA-256 hashes; the key itself is shown once, at creation.
CREATE TABLE api_keys (
    key_id      VARCHAR(64)  NOT NULL,
    tenant_id   VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    key_hash    VARCHAR(64)  NOT NULL,
    key_prefix  VARCHAR(16)  NOT NULL,
    scopes      VARCHAR(100) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_api_keys PRIMARY KEY (key_id),
    CONSTRAINT uk_api_keys_hash UNIQUE (key_hash),
    CONSTRAINT fk_api_keys_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- Agents and campaigns: the API's own records; every write is also published to the config topics.
CREATE TABLE agents (
    agent_id    VARCHAR(64)  NOT NULL,
    tenant_id   VARCHAR(64)  NOT NULL,
    version     BIGINT       NOT NULL,
    name        VARCHAR(200) NOT NULL,
    spec        TEXT         NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_agents PRIMARY KEY (agent_id),
    CONSTRAINT fk_agents_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX ix_agents_tenant ON agents (tenant_id, created_at);

CREATE TABLE campaigns (
    campaign_id     VARCHAR(64)  NOT NULL,
    tenant_id       VARCHAR(64)  NOT NULL,
    version         BIGINT       NOT NULL,
    name            VARCHAR(200) NOT NULL,
    agent_id        VARCHAR(64),
    max_concurrency INTEGER,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_campaigns PRIMARY KEY (campaign_id),
    CONSTRAINT fk_campaigns_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX ix_campaigns_tenant ON campaigns (tenant_id, created_at);

-- Webhook subscriptions; secrets is the JSON array published on webhook.subscriptions.v1.
CREATE TABLE webhooks (
    subscription_id VARCHAR(64)   NOT NULL,
    tenant_id       VARCHAR(64)   NOT NULL,
    version         BIGINT        NOT NULL,
    url             VARCHAR(2048) NOT NULL,
    event_types     TEXT          NOT NULL,
    enabled         BOOLEAN       NOT NULL,
    secrets         TEXT          NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_webhooks PRIMARY KEY (subscription_id),
    CONSTRAINT fk_webhooks_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);

-- Calls: written once by the API when a call is requested (version 0), then projected from call.timeline.v1.
-- A row is only replaced by a higher timeline version, so an old or replayed record never wins.
CREATE TABLE calls (
    call_id           VARCHAR(64)  NOT NULL,
    tenant_id         VARCHAR(64)  NOT NULL,
    campaign_id       VARCHAR(64),
    agent_id          VARCHAR(64),
    status            VARCHAR(16)  NOT NULL,
    direction         VARCHAR(16)  NOT NULL,
    transport         VARCHAR(16)  NOT NULL,
    from_party        VARCHAR(256),
    to_party          VARCHAR(256),
    provider          VARCHAR(16),
    provider_call_sid VARCHAR(128),
    requested_at      TIMESTAMP WITH TIME ZONE,
    admitted_at       TIMESTAMP WITH TIME ZONE,
    started_at        TIMESTAMP WITH TIME ZONE,
    answered_at       TIMESTAMP WITH TIME ZONE,
    ended_at          TIMESTAMP WITH TIME ZONE,
    end_reason        VARCHAR(32),
    duration_ms       BIGINT,
    turns             INTEGER      NOT NULL,
    agent_utterances  INTEGER      NOT NULL,
    tool_calls        INTEGER      NOT NULL,
    barge_ins         INTEGER      NOT NULL,
    dtmf_count        INTEGER      NOT NULL,
    entry_count       BIGINT       NOT NULL,
    last_event_at     TIMESTAMP WITH TIME ZONE,
    version           BIGINT       NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_calls PRIMARY KEY (call_id)
);
CREATE INDEX ix_calls_tenant_created ON calls (tenant_id, created_at, call_id);

-- Timeline entries: (call_id, seq) is the identity, so a replayed entry is a no-op.
CREATE TABLE timeline_entries (
    call_id     VARCHAR(64)  NOT NULL,
    seq         BIGINT       NOT NULL,
    tenant_id   VARCHAR(64)  NOT NULL,
    event_id    VARCHAR(64)  NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    source      VARCHAR(32)  NOT NULL,
    payload     TEXT         NOT NULL,
    CONSTRAINT pk_timeline_entries PRIMARY KEY (call_id, seq)
);

-- Webhook delivery log, projected from webhook.attempts.v1.
CREATE TABLE webhook_attempts (
    attempt_id      VARCHAR(64)  NOT NULL,
    subscription_id VARCHAR(64)  NOT NULL,
    tenant_id       VARCHAR(64)  NOT NULL,
    webhook_id      VARCHAR(64)  NOT NULL,
    call_id         VARCHAR(64)  NOT NULL,
    event_type      VARCHAR(64)  NOT NULL,
    attempt         INTEGER      NOT NULL,
    attempted_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome         VARCHAR(32)  NOT NULL,
    status_code     INTEGER,
    latency_ms      BIGINT       NOT NULL,
    error           TEXT,
    response_body   TEXT,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_webhook_attempts PRIMARY KEY (attempt_id)
);
CREATE INDEX ix_webhook_attempts_subscription ON webhook_attempts (subscription_id, attempted_at, attempt_id);
