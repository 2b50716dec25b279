-- The indicators' own record of what accepted data each provider's referrals reflect: the latest submission
-- written into them, updated in the same transaction as the rows. The referral snapshot reloads a provider when
-- this moves, without reading the submissions' lifecycle (a table of another room).

CREATE TABLE accepted_data (
    provider_code TEXT    NOT NULL PRIMARY KEY REFERENCES providers (code),
    submission_id INTEGER NOT NULL
);

INSERT INTO accepted_data (provider_code, submission_id)
SELECT provider_code, MAX(id) FROM submissions WHERE status IN ('accepted', 'superseded') GROUP BY provider_code;
