-- Organisations, reference data, keys and the audit log.
-- Dates are ISO-8601 text (yyyy-MM-dd); timestamps are ISO-8601 text in UTC.

CREATE TABLE regions (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL
);

-- ICBs are effective-dated: a merger closes the old ICBs (effective_to, successor_code)
-- and opens a new one, so it is a data change, not a code change.
CREATE TABLE icbs (
    code           TEXT NOT NULL PRIMARY KEY,
    gss_code       TEXT NOT NULL,
    name           TEXT NOT NULL,
    region_code    TEXT NOT NULL REFERENCES regions (code),
    effective_from TEXT NOT NULL,
    effective_to   TEXT NULL,
    successor_code TEXT NULL REFERENCES icbs (code)
);

CREATE TABLE providers (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    icb_code    TEXT NOT NULL REFERENCES icbs (code),
    active_from TEXT NOT NULL,
    active_to   TEXT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_providers_icb ON providers (icb_code);

CREATE TABLE ethnic_categories (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    broad_group TEXT NOT NULL
);

CREATE TABLE api_keys (
    id                INTEGER NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    role              TEXT    NOT NULL CHECK (role IN ('provider', 'icb', 'national', 'admin')),
    organisation_code TEXT    NULL,
    unsuppressed      INTEGER NOT NULL DEFAULT 0,
    secret_hash       BLOB    NOT NULL,
    created_at        TEXT    NOT NULL,
    created_by_key_id INTEGER NULL REFERENCES api_keys (id),
    revoked_at        TEXT    NULL
);

CREATE TABLE audit_log (
    id             INTEGER NOT NULL PRIMARY KEY,
    occurred_at    TEXT    NOT NULL,
    key_id         INTEGER NULL,
    key_name       TEXT    NULL,
    action         TEXT    NOT NULL,
    target         TEXT    NULL,
    detail         TEXT    NULL,
    remote_address TEXT    NULL
);
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at);
