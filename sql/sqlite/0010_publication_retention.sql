-- When a publication's row-level state (its providers' frozen referrals) was deleted under retention: its answers as
-- published can no longer be worked out, and its figures remain as kept at the cut.
ALTER TABLE publications ADD COLUMN rows_purged_at TEXT NULL;
