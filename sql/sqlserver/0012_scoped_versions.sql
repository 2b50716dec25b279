-- Each answer is at the data version of the last change to what it is worked out from (issue 27): the last change to
-- any of its providers' referrals (accepted_data.changed_at, set in the acceptance's transaction), or to what every
-- figure depends on, the register, reference data, targets and fidelity (data_version.shared_version). So another
-- ICB's accepted return leaves an ICB's answers, and their ETags, as they were.
ALTER TABLE dbo.data_version ADD shared_version bigint NOT NULL CONSTRAINT df_data_version_shared_version DEFAULT 0;
ALTER TABLE dbo.accepted_data ADD changed_at bigint NOT NULL CONSTRAINT df_accepted_data_changed_at DEFAULT 0;
GO

-- A new batch: the columns above are compiled into what follows only once they exist.
UPDATE dbo.data_version SET shared_version = version;
UPDATE dbo.accepted_data SET changed_at = (SELECT version FROM dbo.data_version WHERE id = 1);
