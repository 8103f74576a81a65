CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    created_at    INTEGER NOT NULL,
    last_login_at INTEGER
);

-- One row per JWT login: every refresh token descending from it shares the family.
CREATE TABLE refresh_families (
    id                TEXT    PRIMARY KEY,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at        INTEGER NOT NULL,
    last_refreshed_at INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    ip                TEXT,
    user_agent        TEXT,
    revoked_at        INTEGER,
    revoked_reason    TEXT
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);

-- Only the SHA-256 of each token is stored: a database leak yields no usable token.
CREATE TABLE refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    family_id  TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
