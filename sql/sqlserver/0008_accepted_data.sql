-- The indicators' own record of what accepted data each provider's referrals reflect: the latest submission
-- written into them, updated in the same transaction as the rows. The referral snapshot reloads a provider when
-- this moves, without reading the submissions' lifecycle (a table of another room).

CREATE TABLE dbo.accepted_data (
    provider_code nvarchar(16) NOT NULL CONSTRAINT pk_accepted_data PRIMARY KEY
                               CONSTRAINT fk_accepted_data_provider REFERENCES dbo.providers (code),
    submission_id bigint       NOT NULL
);

INSERT INTO dbo.accepted_data (provider_code, submission_id)
SELECT provider_code, MAX(id) FROM dbo.submissions WHERE status IN ('accepted', 'superseded') GROUP BY provider_code;
