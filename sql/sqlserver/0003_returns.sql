-- Monthly returns: uploads (spooled in the database so that any job server can read them), submissions,
-- their findings, and the current state of every referral (latest period wins).

CREATE TABLE dbo.uploads (
    id         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_uploads PRIMARY KEY,
    created_at datetimeoffset(7) NOT NULL
);

CREATE TABLE dbo.upload_chunks (
    upload_id bigint         NOT NULL CONSTRAINT fk_upload_chunks_upload REFERENCES dbo.uploads (id) ON DELETE CASCADE,
    sequence  int            NOT NULL,
    data      varbinary(max) NOT NULL,
    CONSTRAINT pk_upload_chunks PRIMARY KEY (upload_id, sequence)
);

CREATE TABLE dbo.submissions (
    id                 bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_submissions PRIMARY KEY,
    provider_code      nvarchar(16)      NOT NULL CONSTRAINT fk_submissions_provider REFERENCES dbo.providers (code),
    period             char(7)           NOT NULL,
    status             varchar(16)       NOT NULL CONSTRAINT ck_submissions_status
                           CHECK (status IN ('queued', 'validating', 'accepted', 'rejected', 'failed', 'superseded')),
    uploaded_by_key_id bigint            NULL CONSTRAINT fk_submissions_key REFERENCES dbo.api_keys (id),
    uploaded_at        datetimeoffset(7) NOT NULL,
    file_sha256        char(64)          NOT NULL,
    file_bytes         bigint            NOT NULL,
    upload_id          bigint            NULL CONSTRAINT fk_submissions_upload REFERENCES dbo.uploads (id) ON DELETE SET NULL,
    rows_total         int               NULL,
    rows_read          int               NOT NULL CONSTRAINT df_submissions_rows_read DEFAULT 0,
    row_count          int               NULL,
    error_count        int               NOT NULL CONSTRAINT df_submissions_error_count DEFAULT 0,
    warning_count      int               NOT NULL CONSTRAINT df_submissions_warning_count DEFAULT 0,
    failure_reason     nvarchar(400)     NULL,
    attempts           int               NOT NULL CONSTRAINT df_submissions_attempts DEFAULT 0,
    processed_at       datetimeoffset(7) NULL,
    superseded_by      bigint            NULL CONSTRAINT fk_submissions_superseded_by REFERENCES dbo.submissions (id)
);
CREATE INDEX ix_submissions_provider_period ON dbo.submissions (provider_code, period, status);
CREATE INDEX ix_submissions_status ON dbo.submissions (status);
-- The same bytes for the same provider and month are one submission (unless it was superseded since).
CREATE UNIQUE INDEX ux_submissions_same_file ON dbo.submissions (provider_code, period, file_sha256) WHERE status <> 'superseded';

CREATE TABLE dbo.idempotency_keys (
    key_id          bigint            NOT NULL CONSTRAINT fk_idempotency_keys_key REFERENCES dbo.api_keys (id),
    idempotency_key nvarchar(200)     NOT NULL,
    submission_id   bigint            NOT NULL CONSTRAINT fk_idempotency_keys_submission REFERENCES dbo.submissions (id),
    created_at      datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (key_id, idempotency_key)
);

CREATE TABLE dbo.findings (
    submission_id bigint        NOT NULL CONSTRAINT fk_findings_submission REFERENCES dbo.submissions (id) ON DELETE CASCADE,
    sequence      int           NOT NULL,
    code          char(4)       NOT NULL,
    severity      varchar(8)    NOT NULL,
    line          int           NULL,
    column_name   nvarchar(100) NULL,
    referral_id   nvarchar(200) NULL,  -- encrypted under the deployment secret
    value         nvarchar(60)  NULL,  -- cut to 50 characters; never an NHS number
    message       nvarchar(400) NOT NULL,
    CONSTRAINT pk_findings PRIMARY KEY (submission_id, sequence)
);

-- Current state of each referral. Keys are HMAC-SHA-256 of the provider's own identifiers.
CREATE TABLE dbo.referrals (
    provider_code               nvarchar(16) NOT NULL CONSTRAINT fk_referrals_provider REFERENCES dbo.providers (code),
    referral_key                binary(32)   NOT NULL,
    client_key                  binary(32)   NOT NULL,
    period                      char(7)      NOT NULL,
    submission_id               bigint       NOT NULL CONSTRAINT fk_referrals_submission REFERENCES dbo.submissions (id),
    first_submission_id         bigint       NOT NULL CONSTRAINT fk_referrals_first_submission REFERENCES dbo.submissions (id),
    referral_date               date         NOT NULL,
    referral_source             varchar(32)  NULL,
    ethnic_category             varchar(2)   NOT NULL,
    gender                      varchar(1)   NULL,
    age_at_referral             tinyint      NULL,
    employment_status           varchar(32)  NOT NULL,
    first_contact_date          date         NULL,
    first_employer_contact_date date         NULL,
    discharge_date              date         NULL,
    discharge_reason            varchar(32)  NULL,
    CONSTRAINT pk_referrals PRIMARY KEY (provider_code, referral_key)
);
CREATE INDEX ix_referrals_submission ON dbo.referrals (submission_id);

CREATE TABLE dbo.referral_jobs (
    provider_code  nvarchar(16) NOT NULL,
    referral_key   binary(32)   NOT NULL,
    job_number     int          NOT NULL,
    start_date     date         NULL,
    end_date       date         NULL,
    hours_per_week float        NULL,
    job_type       varchar(16)  NULL,
    CONSTRAINT pk_referral_jobs PRIMARY KEY (provider_code, referral_key, job_number),
    CONSTRAINT fk_referral_jobs_referral FOREIGN KEY (provider_code, referral_key)
        REFERENCES dbo.referrals (provider_code, referral_key) ON DELETE CASCADE
);

-- Bumped whenever a return is accepted or superseded; indicators and ETags are keyed on it.
CREATE TABLE dbo.data_version (
    id      int    NOT NULL CONSTRAINT pk_data_version PRIMARY KEY CONSTRAINT ck_data_version_single CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO dbo.data_version (id, version) VALUES (1, 0);
