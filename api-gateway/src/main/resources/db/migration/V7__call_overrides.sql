-- A campaign's overrides of its agent's recording and answering machine detection (JSON as the API takes them:
-- {"recording": {...}, "voicemail": {...}}), and the media connection parameters a placed call carries them to
-- realtime-edge with (JSON object of strings, docs/realtime-protocol.md section 2), resolved when it was requested.
ALTER TABLE campaigns ADD COLUMN overrides TEXT;
ALTER TABLE call_requests ADD COLUMN media_parameters TEXT;
