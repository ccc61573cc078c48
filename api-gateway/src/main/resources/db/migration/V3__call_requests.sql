-- One writer per table. calls becomes the projection of call.timeline.v1 alone (written by the projector only);
-- what the gateway itself knows of a call it requested moves to call_requests (written by the request path only):
-- the call as requested (outbound through the API, inbound through a provider webhook), its provider and the
-- provider's call id (no event carries them), and what the gateway saw of its outcome before the timeline did
-- (REJECTED by admission, ENDED when origination failed). The API reads both: the projected row when there is one,
-- else the requested one, so a call is visible the moment it is requested.
CREATE TABLE call_requests (
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
    requested_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_call_requests PRIMARY KEY (call_id)
);
CREATE INDEX ix_call_requests_tenant_requested ON call_requests (tenant_id, requested_at, call_id);

-- Rows the API wrote (version 0: never projected) or enriched (provider, provider call id) move over; a projected
-- row keeps the projection's status, so its request is recorded as REQUESTED.
INSERT INTO call_requests (call_id, tenant_id, campaign_id, agent_id, status, direction, transport, from_party,
                           to_party, provider, provider_call_sid, requested_at)
SELECT call_id, tenant_id, campaign_id, agent_id, CASE WHEN version = 0 THEN status ELSE 'REQUESTED' END, direction,
       transport, from_party, to_party, provider, provider_call_sid, created_at
FROM calls
WHERE version = 0 OR provider IS NOT NULL;
DELETE FROM calls WHERE version = 0;

ALTER TABLE calls DROP COLUMN provider;
ALTER TABLE calls DROP COLUMN provider_call_sid;
