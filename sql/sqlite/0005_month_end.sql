-- Month-end: returns recorded as overdue, webhooks an ICB registers, and each delivery of an event to one.

CREATE TABLE overdue_returns (
    provider_code TEXT NOT NULL REFERENCES providers (code),
    period        TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (provider_code, period)
);

CREATE TABLE webhooks (
    id                INTEGER NOT NULL PRIMARY KEY,
    icb_code          TEXT    NOT NULL REFERENCES icbs (code),
    url               TEXT    NOT NULL,
    signing_secret    TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    created_by_key_id INTEGER NULL REFERENCES api_keys (id),
    deleted_at        TEXT    NULL
);
CREATE INDEX ix_webhooks_icb ON webhooks (icb_code);

CREATE TABLE webhook_deliveries (
    id               INTEGER NOT NULL PRIMARY KEY,
    webhook_id       INTEGER NOT NULL REFERENCES webhooks (id),
    event_type       TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_attempt_at  TEXT    NULL,
    last_status_code INTEGER NULL,
    last_error       TEXT    NULL,
    created_at       TEXT    NOT NULL,
    delivered_at     TEXT    NULL
);
CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX ix_webhook_deliveries_status ON webhook_deliveries (status);
