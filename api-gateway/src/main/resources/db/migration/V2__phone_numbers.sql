-- Phone-number directory: routes an inbound called number (E.164) to a tenant's agent when the webhook URL names
-- no tenant. The number is the key, so a number routes to exactly one tenant. No foreign key on agent_id, like
-- campaigns: the API checks the agent when the entry is written.
CREATE TABLE phone_numbers (
    number      VARCHAR(16)  NOT NULL,
    tenant_id   VARCHAR(64)  NOT NULL,
    agent_id    VARCHAR(64)  NOT NULL,
    version     BIGINT       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_phone_numbers PRIMARY KEY (number),
    CONSTRAINT fk_phone_numbers_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (tenant_id)
);
CREATE INDEX ix_phone_numbers_tenant ON phone_numbers (tenant_id, number);
