-- Call recordings, projected from the RecordingAvailable entries of call.timeline-entries.v1: where each call's
-- recording is stored, until it is deleted (DELETE /v1/calls/{id}/recording, or its tenant's retention ran out).
CREATE TABLE recordings (
    call_id      VARCHAR(64)  NOT NULL,
    tenant_id    VARCHAR(64)  NOT NULL,
    location     TEXT         NOT NULL,
    content_type VARCHAR(64)  NOT NULL,
    duration_ms  BIGINT       NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_recordings PRIMARY KEY (call_id)
);
CREATE INDEX ix_recordings_recorded ON recordings (recorded_at);

-- Days a tenant's recordings are kept; null keeps them for RECORDINGS_RETENTION_DAYS.
ALTER TABLE tenants ADD COLUMN recording_retention_days INTEGER;
