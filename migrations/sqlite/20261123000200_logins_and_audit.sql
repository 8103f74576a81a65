-- tower-sessions stores are keyed by session id only; this index names each
-- session's user so that listing and revoking a user's logins is one query.
-- It is written by the session store itself (see auth::session), so it stays
-- in step when records are created, cycled, saved or deleted.
CREATE TABLE session_logins (
    session_id   TEXT    PRIMARY KEY,
    -- Shown to clients instead of the session id, which is the credential.
    public_id    TEXT    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    -- Microseconds since the epoch: orders logins made within one second.
    login_order  INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX session_logins_user ON session_logins (user_id, login_order);
CREATE INDEX session_logins_expiry ON session_logins (expires_at);

ALTER TABLE refresh_families ADD COLUMN login_order INTEGER NOT NULL DEFAULT 0;
CREATE INDEX refresh_families_expiry ON refresh_families (expires_at);

-- Who did what, when, from where: logins, logouts, refreshes, revocations,
-- password changes and denied requests.
CREATE TABLE audit_events (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    user_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    username TEXT,
    mode     TEXT,
    ip       TEXT,
    event    TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    detail   TEXT    NOT NULL DEFAULT '',
    -- Identical denied requests in a row are one row: how many, and `at` is
    -- the latest (see services::audit::record).
    repeats  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_event ON audit_events (event, id);
CREATE INDEX audit_events_at ON audit_events (at);
