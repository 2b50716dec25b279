-- Fidelity reviews (the 25 items of the IPS fidelity scale, each scored 1-5) and the IPS quality mark: when each
-- provider's three years towards the mark began, and the readiness last announced, so that a change is sent once.

CREATE TABLE fidelity_reviews (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    provider_code TEXT    NOT NULL REFERENCES providers (code),
    review_date   TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('external', 'self')),
    reviewer      TEXT    NULL,
    notes         TEXT    NULL,
    total         INTEGER NOT NULL,
    recorded_at   TEXT    NOT NULL,
    recorded_by   INTEGER NULL REFERENCES api_keys (id),
    CONSTRAINT uq_fidelity_reviews UNIQUE (provider_code, review_date, kind)
);

CREATE TABLE fidelity_review_items (
    review_id INTEGER NOT NULL REFERENCES fidelity_reviews (id),
    item      TEXT    NOT NULL,
    score     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (review_id, item)
);

CREATE TABLE quality_mark_starts (
    provider_code TEXT    NOT NULL PRIMARY KEY REFERENCES providers (code),
    start_date    TEXT    NOT NULL,
    set_at        TEXT    NOT NULL,
    set_by        INTEGER NULL REFERENCES api_keys (id)
);

CREATE TABLE quality_mark_readiness (
    provider_code TEXT    NOT NULL PRIMARY KEY REFERENCES providers (code),
    ready         INTEGER NOT NULL,
    as_at         TEXT    NOT NULL,
    changed_at    TEXT    NOT NULL
);
