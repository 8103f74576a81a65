-- The instance whose memory holds the record (memory store only; NULL for
-- the shared stores): a restarted instance forgets its own logins, not its
-- neighbours'.
ALTER TABLE session_logins ADD COLUMN instance TEXT;
