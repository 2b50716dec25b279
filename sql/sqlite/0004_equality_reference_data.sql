-- Reference data for the equality report and the access indicator: the people on secondary adult community
-- mental health caseloads by ethnic group (the access denominator), and access targets per ICB and year.

CREATE TABLE reference_populations (
    organisation_code TEXT    NOT NULL,              -- a provider's or an ICB's code
    financial_year    TEXT    NOT NULL,              -- 2025-26
    group_code        TEXT    NOT NULL,              -- a broad group (white, mixed, asian, black, other) or a category (A-S)
    people            INTEGER NOT NULL CHECK (people >= 0),
    loaded_at         TEXT    NOT NULL,
    loaded_by_key_id  INTEGER NULL REFERENCES api_keys (id),
    PRIMARY KEY (organisation_code, financial_year, group_code)
);

CREATE TABLE access_targets (
    icb_code         TEXT    NOT NULL REFERENCES icbs (code),
    financial_year   TEXT    NOT NULL,
    target           INTEGER NOT NULL CHECK (target > 0),
    loaded_at        TEXT    NOT NULL,
    loaded_by_key_id INTEGER NULL REFERENCES api_keys (id),
    PRIMARY KEY (icb_code, financial_year)
);
