-- Reference data for the equality report and the access indicator: the people on secondary adult community
-- mental health caseloads by ethnic group (the access denominator), and access targets per ICB and year.

CREATE TABLE dbo.reference_populations (
    organisation_code nvarchar(16)      NOT NULL,
    financial_year    char(7)           NOT NULL,
    group_code        varchar(8)        NOT NULL,
    people            int               NOT NULL CONSTRAINT ck_reference_populations_people CHECK (people >= 0),
    loaded_at         datetimeoffset(7) NOT NULL,
    loaded_by_key_id  bigint            NULL CONSTRAINT fk_reference_populations_key REFERENCES dbo.api_keys (id),
    CONSTRAINT pk_reference_populations PRIMARY KEY (organisation_code, financial_year, group_code)
);

CREATE TABLE dbo.access_targets (
    icb_code         nvarchar(16)      NOT NULL CONSTRAINT fk_access_targets_icb REFERENCES dbo.icbs (code),
    financial_year   char(7)           NOT NULL,
    target           int               NOT NULL CONSTRAINT ck_access_targets_target CHECK (target > 0),
    loaded_at        datetimeoffset(7) NOT NULL,
    loaded_by_key_id bigint            NULL CONSTRAINT fk_access_targets_key REFERENCES dbo.api_keys (id),
    CONSTRAINT pk_access_targets PRIMARY KEY (icb_code, financial_year)
);
