-- Post-call analyses: one row per call whose agent may ask for one, inserted by the projector with the call's
-- CallEnded entry (generation 1) and again on request (POST /v1/calls/{id}/analysis: the next generation). The
-- analysis worker of any gateway instance claims due rows (FOR UPDATE SKIP LOCKED, with a lease that a crashed
-- instance lets run out), writes CallAnalyzed or CallAnalysisFailed to call.events.v1, and records the outcome here.
CREATE TABLE call_analyses (
    call_id          VARCHAR(64)  NOT NULL,
    tenant_id        VARCHAR(64)  NOT NULL,
    agent_id         VARCHAR(64),
    generation       INTEGER      NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    attempts         INTEGER      NOT NULL,
    next_attempt_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_error       TEXT,
    summary          TEXT,
    structured_data  TEXT,
    success          BOOLEAN,
    success_reason   TEXT,
    engine           VARCHAR(128),
    analyzed_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_call_analyses PRIMARY KEY (call_id)
);
CREATE INDEX ix_call_analyses_due ON call_analyses (status, next_attempt_at);

-- The retention sweep only looks at recordings not deleted yet.
DROP INDEX ix_recordings_recorded;
CREATE INDEX ix_recordings_live ON recordings (recorded_at) WHERE deleted_at IS NULL;
