-- Publications: the state of the data at a cut-off, kept so that its figures are the same answer whenever they are
-- asked. A publication is cut in two steps (planned, then frozen by a job), so cut_off and data_version are null
-- until it is frozen. What it froze is kept by each owner: the small reference data as parts (publication_parts),
-- each provider's referrals once per state of them (frozen_referrals, shared by every publication that holds it).

CREATE TABLE dbo.publications (
    id           bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_publications PRIMARY KEY,
    name         nvarchar(64)      NOT NULL CONSTRAINT uq_publications_name UNIQUE,
    kind         varchar(16)       NOT NULL CONSTRAINT ck_publications_kind CHECK (kind IN ('provisional', 'final', 'extra')),
    month        char(7)           NOT NULL,
    planned_at   datetimeoffset(7) NOT NULL,
    planned_by   bigint            NULL CONSTRAINT fk_publications_key REFERENCES dbo.api_keys (id),
    cut_off      datetimeoffset(7) NULL,
    data_version bigint            NULL
);

CREATE TABLE dbo.publication_parts (
    publication_id bigint         NOT NULL CONSTRAINT fk_publication_parts_publication REFERENCES dbo.publications (id),
    part           varchar(64)    NOT NULL,
    content        varbinary(max) NOT NULL,
    CONSTRAINT pk_publication_parts PRIMARY KEY (publication_id, part)
);

CREATE TABLE dbo.frozen_referrals (
    provider_code nvarchar(16)      NOT NULL,
    fingerprint   bigint            NOT NULL,
    referrals     int               NOT NULL,
    content       varbinary(max)    NOT NULL,
    frozen_at     datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_frozen_referrals PRIMARY KEY (provider_code, fingerprint)
);

-- Every sign-off and withdrawal, in order: an ICB's state for a publication is its latest entry.
CREATE TABLE dbo.publication_sign_offs (
    id             bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_publication_sign_offs PRIMARY KEY,
    publication_id bigint            NOT NULL CONSTRAINT fk_publication_sign_offs_publication REFERENCES dbo.publications (id),
    icb_code       nvarchar(16)      NOT NULL CONSTRAINT fk_publication_sign_offs_icb REFERENCES dbo.icbs (code),
    signed_off     bit               NOT NULL,
    comment        nvarchar(2000)    NOT NULL,
    at             datetimeoffset(7) NOT NULL,
    by_key_id      bigint            NULL CONSTRAINT fk_publication_sign_offs_key REFERENCES dbo.api_keys (id),
    by_name        nvarchar(200)     NULL
);
CREATE INDEX ix_publication_sign_offs ON dbo.publication_sign_offs (publication_id, icb_code, id);

-- An ICB key may sign off its ICB's figures only with this permission.
ALTER TABLE dbo.api_keys ADD sign_off bit NOT NULL CONSTRAINT df_api_keys_sign_off DEFAULT 0;
