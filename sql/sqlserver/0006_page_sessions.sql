-- Sessions of people signed in to the pages: the cookie carries only the id; who they are lives here, so a session
-- can be ended on the server (sign-out, a revoked key, 8 hours without use).

CREATE TABLE dbo.page_sessions (
    id         varchar(64)       NOT NULL CONSTRAINT pk_page_sessions PRIMARY KEY,
    key_id     bigint            NULL CONSTRAINT fk_page_sessions_key REFERENCES dbo.api_keys (id),
    ticket     varbinary(max)    NOT NULL,
    created_at datetimeoffset(7) NOT NULL,
    expires_at datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_page_sessions_expires ON dbo.page_sessions (expires_at);
