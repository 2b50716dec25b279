-- Monthly returns: uploads (spooled in the database so that any job server can read them), submissions,
-- their findings, and the current state of every referral (latest period wins).

CREATE TABLE uploads (
    id         INTEGER NOT NULL PRIMARY KEY,
    created_at TEXT    NOT NULL
);

CREATE TABLE upload_chunks (
    upload_id INTEGER NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    sequence  INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    PRIMARY KEY (upload_id, sequence)
);

CREATE TABLE submissions (
    id                 INTEGER NOT NULL PRIMARY KEY,
    provider_code      TEXT    NOT NULL REFERENCES providers (code),
    period             TEXT    NOT NULL,             -- yyyy-MM
    status             TEXT    NOT NULL CHECK (status IN ('queued', 'validating', 'accepted', 'rejected', 'failed', 'superseded')),
    uploaded_by_key_id INTEGER NULL REFERENCES api_keys (id),
    uploaded_at        TEXT    NOT NULL,
    file_sha256        TEXT    NOT NULL,
    file_bytes         INTEGER NOT NULL,
    upload_id          INTEGER NULL REFERENCES uploads (id) ON DELETE SET NULL,
    rows_total         INTEGER NULL,
    rows_read          INTEGER NOT NULL DEFAULT 0,
    row_count          INTEGER NULL,
    error_count        INTEGER NOT NULL DEFAULT 0,
    warning_count      INTEGER NOT NULL DEFAULT 0,
    failure_reason     TEXT    NULL,
    attempts           INTEGER NOT NULL DEFAULT 0,
    processed_at       TEXT    NULL,
    superseded_by      INTEGER NULL REFERENCES submissions (id)
);
CREATE INDEX ix_submissions_provider_period ON submissions (provider_code, period, status);
CREATE INDEX ix_submissions_status ON submissions (status);
-- The same bytes for the same provider and month are one submission (unless it was superseded since).
CREATE UNIQUE INDEX ux_submissions_same_file ON submissions (provider_code, period, file_sha256) WHERE status <> 'superseded';

CREATE TABLE idempotency_keys (
    key_id          INTEGER NOT NULL REFERENCES api_keys (id),
    idempotency_key TEXT    NOT NULL,
    submission_id   INTEGER NOT NULL REFERENCES submissions (id),
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);

CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    sequence      INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    line          INTEGER NULL,
    column_name   TEXT    NULL,
    referral_id   TEXT    NULL,                      -- encrypted under the deployment secret
    value         TEXT    NULL,                      -- cut to 50 characters; never an NHS number
    message       TEXT    NOT NULL,
    PRIMARY KEY (submission_id, sequence)
);

-- Current state of each referral. Keys are HMAC-SHA-256 of the provider's own identifiers.
CREATE TABLE referrals (
    provider_code                 TEXT    NOT NULL REFERENCES providers (code),
    referral_key                  BLOB    NOT NULL,
    client_key                    BLOB    NOT NULL,
    period                        TEXT    NOT NULL,  -- the period of the return this state came from
    submission_id                 INTEGER NOT NULL REFERENCES submissions (id),
    first_submission_id           INTEGER NOT NULL REFERENCES submissions (id),
    referral_date                 TEXT    NOT NULL,
    referral_source               TEXT    NULL,
    ethnic_category               TEXT    NOT NULL,
    gender                        TEXT    NULL,
    age_at_referral               INTEGER NULL,
    employment_status             TEXT    NOT NULL,
    first_contact_date            TEXT    NULL,
    first_employer_contact_date   TEXT    NULL,
    discharge_date                TEXT    NULL,
    discharge_reason              TEXT    NULL,
    PRIMARY KEY (provider_code, referral_key)
);
CREATE INDEX ix_referrals_submission ON referrals (submission_id);

CREATE TABLE referral_jobs (
    provider_code  TEXT    NOT NULL,
    referral_key   BLOB    NOT NULL,
    job_number     INTEGER NOT NULL,
    start_date     TEXT    NULL,
    end_date       TEXT    NULL,
    hours_per_week REAL    NULL,
    job_type       TEXT    NULL,
    PRIMARY KEY (provider_code, referral_key, job_number),
    FOREIGN KEY (provider_code, referral_key) REFERENCES referrals (provider_code, referral_key) ON DELETE CASCADE
);

-- Bumped whenever a return is accepted or superseded; indicators and ETags are keyed on it.
CREATE TABLE data_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);
