-- The tenant-wide live calls stream (GET /v1/calls/events) reads which calls changed from the transaction ids of
-- their last writes: every insert and update of a call row records the id of the transaction that made it. A
-- reader takes the changes whose transaction id lies below the database's oldest running transaction
-- (pg_snapshot_xmin): those transactions are all finished, so no change committed later can land in a range already
-- read, whatever order the writers committed in (a sequence or a timestamp would let a slow writer's row fall behind
-- a reader's cursor). jOOQ's code generator does not parse PL/pgSQL, so it skips this script; the column is read by
-- name.
/* [jooq ignore start] */
ALTER TABLE calls ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE call_requests ADD COLUMN changed_xid xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE FUNCTION stamp_changed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

CREATE TRIGGER calls_changed_xid BEFORE INSERT OR UPDATE ON calls
    FOR EACH ROW EXECUTE FUNCTION stamp_changed_xid();
CREATE TRIGGER call_requests_changed_xid BEFORE INSERT OR UPDATE ON call_requests
    FOR EACH ROW EXECUTE FUNCTION stamp_changed_xid();

CREATE INDEX ix_calls_changed ON calls (changed_xid);
CREATE INDEX ix_call_requests_changed ON call_requests (changed_xid);
/* [jooq ignore stop] */
