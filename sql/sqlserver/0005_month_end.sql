-- Month-end: returns recorded as overdue, webhooks an ICB registers, and each delivery of an event to one.

CREATE TABLE dbo.overdue_returns (
    provider_code nvarchar(16)      NOT NULL CONSTRAINT fk_overdue_returns_provider REFERENCES dbo.providers (code),
    period        char(7)           NOT NULL,
    due_date      date              NOT NULL,
    recorded_at   datetimeoffset(7) NOT NULL,
    CONSTRAINT pk_overdue_returns PRIMARY KEY (provider_code, period)
);

CREATE TABLE dbo.webhooks (
    id                bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_webhooks PRIMARY KEY,
    icb_code          nvarchar(16)      NOT NULL CONSTRAINT fk_webhooks_icb REFERENCES dbo.icbs (code),
    url               nvarchar(2000)    NOT NULL,
    signing_secret    nvarchar(100)     NOT NULL,
    created_at        datetimeoffset(7) NOT NULL,
    created_by_key_id bigint            NULL CONSTRAINT fk_webhooks_key REFERENCES dbo.api_keys (id),
    deleted_at        datetimeoffset(7) NULL
);
CREATE INDEX ix_webhooks_icb ON dbo.webhooks (icb_code);

CREATE TABLE dbo.webhook_deliveries (
    id               bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_webhook_deliveries PRIMARY KEY,
    webhook_id       bigint            NOT NULL CONSTRAINT fk_webhook_deliveries_webhook REFERENCES dbo.webhooks (id),
    event_type       varchar(32)       NOT NULL,
    payload          nvarchar(max)     NOT NULL,
    status           varchar(16)       NOT NULL CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         int               NOT NULL CONSTRAINT df_webhook_deliveries_attempts DEFAULT 0,
    last_attempt_at  datetimeoffset(7) NULL,
    last_status_code int               NULL,
    last_error       nvarchar(400)     NULL,
    created_at       datetimeoffset(7) NOT NULL,
    delivered_at     datetimeoffset(7) NULL
);
CREATE INDEX ix_webhook_deliveries_webhook ON dbo.webhook_deliveries (webhook_id, id);
CREATE INDEX ix_webhook_deliveries_status ON dbo.webhook_deliveries (status);
