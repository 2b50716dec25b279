-- Publications: the state of the data at a cut-off, kept so that its figures are the same answer whenever they are
-- asked. A publication is cut in two steps (planned, then frozen by a job), so cut_off and data_version are null
-- until it is frozen. What it froze is kept by each owner: the small reference data as parts (publication_parts),
-- each provider's referrals once per state of them (frozen_referrals, shared by every publication that holds it).

CREATE TABLE publications (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('provisional', 'final', 'extra')),
    month           TEXT    NOT NULL,
    planned_at      TEXT    NOT NULL,
    planned_by      INTEGER NULL REFERENCES api_keys (id),
    cut_off         TEXT    NULL,
    data_version    INTEGER NULL
);

CREATE TABLE publication_parts (
    publication_id INTEGER NOT NULL REFERENCES publications (id),
    part           TEXT    NOT NULL,
    content        BLOB    NOT NULL,
    PRIMARY KEY (publication_id, part)
);

CREATE TABLE frozen_referrals (
    provider_code TEXT    NOT NULL,
    fingerprint   INTEGER NOT NULL,
    referrals     INTEGER NOT NULL,
    content       BLOB    NOT NULL,
    frozen_at     TEXT    NOT NULL,
    PRIMARY KEY (provider_code, fingerprint)
);

-- Every sign-off and withdrawal, in order: an ICB's state for a publication is its latest entry.
CREATE TABLE publication_sign_offs (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    publication_id INTEGER NOT NULL REFERENCES publications (id),
    icb_code       TEXT    NOT NULL REFERENCES icbs (code),
    signed_off     INTEGER NOT NULL,
    comment        TEXT    NOT NULL,
    at             TEXT    NOT NULL,
    by_key_id      INTEGER NULL REFERENCES api_keys (id),
    by_name        TEXT    NULL
);
CREATE INDEX ix_publication_sign_offs ON publication_sign_offs (publication_id, icb_code, id);

-- An ICB key may sign off its ICB's figures only with this permission.
ALTER TABLE api_keys ADD COLUMN sign_off INTEGER NOT NULL DEFAULT 0;
