-- Organisations, reference data, keys and the audit log.

CREATE TABLE dbo.regions (
    code nvarchar(16)  NOT NULL CONSTRAINT pk_regions PRIMARY KEY,
    name nvarchar(200) NOT NULL
);

-- ICBs are effective-dated: a merger closes the old ICBs (effective_to, successor_code)
-- and opens a new one, so it is a data change, not a code change.
CREATE TABLE dbo.icbs (
    code           nvarchar(16)  NOT NULL CONSTRAINT pk_icbs PRIMARY KEY,
    gss_code       nvarchar(16)  NOT NULL,
    name           nvarchar(200) NOT NULL,
    region_code    nvarchar(16)  NOT NULL CONSTRAINT fk_icbs_region REFERENCES dbo.regions (code),
    effective_from date          NOT NULL,
    effective_to   date          NULL,
    successor_code nvarchar(16)  NULL CONSTRAINT fk_icbs_successor REFERENCES dbo.icbs (code)
);

CREATE TABLE dbo.providers (
    code        nvarchar(16)      NOT NULL CONSTRAINT pk_providers PRIMARY KEY,
    name        nvarchar(200)     NOT NULL,
    icb_code    nvarchar(16)      NOT NULL CONSTRAINT fk_providers_icb REFERENCES dbo.icbs (code),
    active_from date              NOT NULL,
    active_to   date              NULL,
    created_at  datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_providers_icb ON dbo.providers (icb_code);

CREATE TABLE dbo.ethnic_categories (
    code        nvarchar(4)   NOT NULL CONSTRAINT pk_ethnic_categories PRIMARY KEY,
    name        nvarchar(100) NOT NULL,
    broad_group nvarchar(20)  NOT NULL
);

CREATE TABLE dbo.api_keys (
    id                bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    name              nvarchar(200)     NOT NULL,
    role              nvarchar(16)      NOT NULL CONSTRAINT ck_api_keys_role CHECK (role IN ('provider', 'icb', 'national', 'admin')),
    organisation_code nvarchar(16)      NULL,
    unsuppressed      bit               NOT NULL CONSTRAINT df_api_keys_unsuppressed DEFAULT 0,
    secret_hash       varbinary(32)     NOT NULL,
    created_at        datetimeoffset(7) NOT NULL,
    created_by_key_id bigint            NULL CONSTRAINT fk_api_keys_created_by REFERENCES dbo.api_keys (id),
    revoked_at        datetimeoffset(7) NULL
);

CREATE TABLE dbo.audit_log (
    id             bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY,
    occurred_at    datetimeoffset(7) NOT NULL,
    key_id         bigint            NULL,
    key_name       nvarchar(200)     NULL,
    action         nvarchar(64)      NOT NULL,
    target         nvarchar(400)     NULL,
    detail         nvarchar(max)     NULL,
    remote_address nvarchar(64)      NULL
);
CREATE INDEX ix_audit_log_occurred ON dbo.audit_log (occurred_at);
