-- Each answer is at the data version of the last change to what it is worked out from (issue 27): the last change to
-- any of its providers' referrals (accepted_data.changed_at, set in the acceptance's transaction), or to what every
-- figure depends on, the register, reference data, targets and fidelity (data_version.shared_version). So another
-- ICB's accepted return leaves an ICB's answers, and their ETags, as they were.
ALTER TABLE data_version ADD COLUMN shared_version INTEGER NOT NULL DEFAULT 0;
UPDATE data_version SET shared_version = version;

ALTER TABLE accepted_data ADD COLUMN changed_at INTEGER NOT NULL DEFAULT 0;
UPDATE accepted_data SET changed_at = (SELECT version FROM data_version WHERE id = 1);
