-- Sessions of people signed in to the pages: the cookie carries only the id; who they are lives here, so a session
-- can be ended on the server (sign-out, a revoked key, 8 hours without use).

CREATE TABLE page_sessions (
    id         TEXT    NOT NULL PRIMARY KEY,
    key_id     INTEGER NULL REFERENCES api_keys (id),
    ticket     BLOB    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX ix_page_sessions_expires ON page_sessions (expires_at);
