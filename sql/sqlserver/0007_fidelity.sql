-- Fidelity reviews (the 25 items of the IPS fidelity scale, each scored 1-5) and the IPS quality mark: when each
-- provider's three years towards the mark began, and the readiness last announced, so that a change is sent once.

CREATE TABLE dbo.fidelity_reviews (
    id            bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_fidelity_reviews PRIMARY KEY,
    provider_code nvarchar(16)      NOT NULL CONSTRAINT fk_fidelity_reviews_provider REFERENCES dbo.providers (code),
    review_date   date              NOT NULL,
    kind          varchar(8)        NOT NULL CONSTRAINT ck_fidelity_reviews_kind CHECK (kind IN ('external', 'self')),
    reviewer      nvarchar(200)     NULL,
    notes         nvarchar(2000)    NULL,
    total         int               NOT NULL,
    recorded_at   datetimeoffset(7) NOT NULL,
    recorded_by   bigint            NULL CONSTRAINT fk_fidelity_reviews_key REFERENCES dbo.api_keys (id),
    CONSTRAINT uq_fidelity_reviews UNIQUE (provider_code, review_date, kind)
);

CREATE TABLE dbo.fidelity_review_items (
    review_id bigint     NOT NULL CONSTRAINT fk_fidelity_review_items_review REFERENCES dbo.fidelity_reviews (id),
    item      varchar(4) NOT NULL,
    score     int        NOT NULL CONSTRAINT ck_fidelity_review_items_score CHECK (score BETWEEN 1 AND 5),
    CONSTRAINT pk_fidelity_review_items PRIMARY KEY (review_id, item)
);

CREATE TABLE dbo.quality_mark_starts (
    provider_code nvarchar(16)      NOT NULL CONSTRAINT pk_quality_mark_starts PRIMARY KEY
                                    CONSTRAINT fk_quality_mark_starts_provider REFERENCES dbo.providers (code),
    start_date    date              NOT NULL,
    set_at        datetimeoffset(7) NOT NULL,
    set_by        bigint            NULL CONSTRAINT fk_quality_mark_starts_key REFERENCES dbo.api_keys (id)
);

CREATE TABLE dbo.quality_mark_readiness (
    provider_code nvarchar(16)      NOT NULL CONSTRAINT pk_quality_mark_readiness PRIMARY KEY
                                    CONSTRAINT fk_quality_mark_readiness_provider REFERENCES dbo.providers (code),
    ready         bit               NOT NULL,
    as_at         date              NOT NULL,
    changed_at    datetimeoffset(7) NOT NULL
);
